import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { newKey, type Catalogue, type CatalogueEntry } from '../api.js';
import { useApp } from '../app-context.js';
import { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../../lib/requests/limits.js';
import { indexCatalogue, search } from '../search.js';
import { requestContact, type ContactShared } from '../telegram.js';
import { escapeHtml, Rich } from '../text.js';
import { ErrorBanner, problemText } from './common.js';
import { FilePicker, usePickedFiles } from './FilePicker.js';

type Step = 'search' | 'describe' | 'summary';
/** Results shown at once: the search narrows as the person types, nobody scrolls through a hundred. */
const SHOWN_RESULTS = 50;

/**
 * New request: one search box over the whole catalogue, then the description with photos or files
 * and the phone through Telegram, a summary, and Confirm. A `startapp` link (a QR poster) opens at
 * the description of its service, with its location.
 */
export function NewRequest() {
  const app = useApp();
  const { t } = app;
  const [catalogue, setCatalogue] = useState<Catalogue | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [step, setStep] = useState<Step>('search');
  const [query, setQuery] = useState('');
  const [service, setService] = useState<CatalogueEntry | undefined>(undefined);
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState<ContactShared | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // One draft, one Idempotency-Key: Confirm tapped twice, or again after a lost answer, creates one request.
  const draftId = useRef(newKey());
  const picked = usePickedFiles();

  async function loadCatalogue(): Promise<void> {
    setProblem(undefined);
    try {
      const loaded = await app.api.catalogue();
      setCatalogue(loaded);
      const start = loaded.start;
      const linked = start && loaded.items.find((item) => item.typeId === start.typeId && item.sideId === start.sideId && item.categoryId === start.categoryId);
      if (linked) {
        setService(linked);
        setStep('describe');
      }
    } catch (error) {
      setProblem(problemText(app, error));
    }
  }
  useEffect(() => {
    void loadCatalogue();
  }, []);

  const index = useMemo(() => indexCatalogue(catalogue?.items ?? []), [catalogue]);
  const results = useMemo(() => search(index, query), [index, query]);
  const location = service && catalogue?.start && catalogue.start.categoryId === service.categoryId && catalogue.start.sideId === service.sideId && catalogue.start.typeId === service.typeId ? catalogue.start.location : undefined;
  const length = [...description.trim()].length;
  const described = length >= DESCRIPTION_MIN && length <= DESCRIPTION_MAX;

  async function confirm(): Promise<void> {
    if (!service || busy) return;
    setBusy(true);
    setProblem(undefined);
    app.haptic('tap');
    try {
      const created = await app.api.createRequest({
        draft_id: draftId.current,
        request_type_id: service.typeId,
        side_id: service.sideId,
        category_id: service.categoryId,
        description: description.trim(),
        ...(contact && { contact: contact.signed }),
        files: picked.tokens,
      });
      app.haptic('success');
      app.reset([{ kind: 'list' }, { kind: 'request', id: created.id, notice: t.submitted(escapeHtml(created.number)) }]);
    } catch (error) {
      app.haptic('error');
      setProblem(problemText(app, error));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    if (step === 'describe') app.setMain({ text: t.appNext, disabled: !described || picked.uploading, onClick: () => setStep('summary') });
    else if (step === 'summary') app.setMain({ text: t.buttonConfirm, progress: busy, onClick: () => void confirm() });
    else app.setMain(undefined);
  }, [step, described, picked.uploading, busy, app, description, contact, picked.tokens.length, service]);
  useEffect(() => () => app.setMain(undefined), []);

  const pick = (entry: CatalogueEntry) => {
    app.haptic('select');
    setService(entry);
    setStep('describe');
  };
  return (
    <main class="screen" data-screen="new-request" data-step={step}>
      <h1>{t.buttonNewRequest}</h1>
      <ErrorBanner text={problem} />
      {step !== 'search' && service && (
        <button type="button" class="link" onClick={() => setStep(step === 'summary' ? 'describe' : 'search')}>
          {t.buttonBack}
        </button>
      )}
      {step === 'search' && (
        <section>
          <input type="search" class="search" placeholder={t.appSearchPlaceholder} aria-label={t.appSearchPlaceholder} value={query} autofocus onInput={(event) => setQuery(event.currentTarget.value)} />
          {!catalogue && problem === undefined && <p class="hint loading">{t.appLoading}</p>}
          {catalogue && results.length === 0 && <p class="hint">{t.appSearchNothing}</p>}
          <ul class="list results">
            {results.slice(0, SHOWN_RESULTS).map((entry) => (
              <li key={`${entry.typeId}-${entry.sideId}-${entry.categoryId}`}>
                <button type="button" class="row" data-service={entry.name} onClick={() => pick(entry)}>
                  <span class="row-main">{entry.name}</span>
                  <span class="row-sub">
                    {entry.type} · {entry.side}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {step === 'describe' && service && (
        <section>
          <p class="chosen">
            <b>{service.name}</b> · {service.type} · {service.side}
          </p>
          {location !== undefined && (
            <p>
              <Rich html={t.locationLine(escapeHtml(location))} />
            </p>
          )}
          <label class="label" for="description">
            {t.appStepDescribe}
          </label>
          <textarea id="description" maxLength={DESCRIPTION_MAX} placeholder={t.appDescriptionPlaceholder} value={description} onInput={(event) => setDescription(event.currentTarget.value)} />
          <p class={described || length === 0 ? 'hint' : 'problem'}>{t.appDescriptionCount(length, DESCRIPTION_MIN, DESCRIPTION_MAX)}</p>
          <FilePicker picked={picked} />
          {app.webApp?.requestContact && (
            <p>
              {contact ? (
                <span>
                  {t.appPhoneLabel}: {contact.phone}
                </span>
              ) : (
                <button type="button" class="secondary" onClick={() => void requestContact(app.webApp).then((shared) => shared && setContact(shared))}>
                  {t.buttonShareContact}
                </button>
              )}
            </p>
          )}
        </section>
      )}
      {step === 'summary' && service && (
        <section class="card summary">
          <h2>{t.appSummary}</h2>
          <dl>
            <div class="field"><dt>{t.appLabelType}</dt><dd>{service.type}</dd></div>
            <div class="field"><dt>{t.appLabelSide}</dt><dd>{service.side}</dd></div>
            <div class="field"><dt>{t.appLabelService}</dt><dd>{service.name}</dd></div>
            {location !== undefined && <div class="field"><dt>📍</dt><dd>{location}</dd></div>}
            <div class="field"><dt>{t.appLabelFiles}</dt><dd>{picked.tokens.length === 0 ? t.appNone : t.appFilesCount(picked.tokens.length)}</dd></div>
            <div class="field"><dt>{t.appPhoneLabel}</dt><dd>{contact ? contact.phone : t.appPhoneNotShared}</dd></div>
          </dl>
          <p class="text">{description.trim()}</p>
        </section>
      )}
    </main>
  );
}

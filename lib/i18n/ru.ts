import type { Messages } from './en.js';
import { pluralOf } from './plural.js';

const count = pluralOf('ru');
const characters = (n: number) => count(n, { one: 'символ', few: 'символа', many: 'символов', other: 'символа' });
const files = (n: number) => count(n, { one: 'файл', few: 'файла', many: 'файлов', other: 'файла' });
/** After «через»: через 1 секунду, 2 секунды, 5 секунд. */
const seconds = (n: number) => count(n, { one: 'секунду', few: 'секунды', many: 'секунд', other: 'секунды' });
const minutes = (n: number) => count(n, { one: 'минуту', few: 'минуты', many: 'минут', other: 'минуты' });
const requests = (n: number) => count(n, { one: 'заявку', few: 'заявки', many: 'заявок', other: 'заявки' });

export const ru: Messages = {
  languageName: 'Русский',
  welcome: (name) =>
    `👋 Здравствуйте, ${name}!\n\nЯ помогу оформить заявку на обслуживание и сообщу, когда изменится её статус.\nВыберите действие:`,
  mainMenu: 'Что вы хотите сделать?',
  help: (app) =>
    '<b>Как это работает</b>\n' +
    '📝 <b>Новая заявка</b>: выберите тип, для кого она и услугу, опишите проблему (от 10 до 2000 символов), при желании добавьте фото и телефон и подтвердите. Вы получите номер вроде SR-1042.\n' +
    '🔎 В списке услуг напишите слово, чтобы найти услугу; <code>/new сантехника</code> ищет по всем.\n' +
    '📷 QR-код или ссылка на плакате сразу открывает заявку для этого места.\n\n' +
    '<b>Ваши заявки</b>\n' +
    '📋 <b>Мои заявки</b>: сначала новые, <b>Все</b> или только <b>Открытые</b>; нажмите на заявку, чтобы увидеть подробности и историю.\n' +
    '💬 <b>Добавить комментарий</b> к заявке или <b>Ответить</b> сотруднику: текст, фото или файл. Или смахните любое моё сообщение о заявке, чтобы ответить на него.\n' +
    '✖️ <b>Отменить заявку</b>, пока она открыта; причину можно не указывать.\n' +
    '✅ <b>Решено</b> или ↩️ <b>Проблема осталась</b>, когда сотрудник решит заявку; затем оцените её от 1⭐ до 5⭐.\n' +
    '🔔 Я напишу, когда что-то изменится.\n' +
    (app ? '📱 <b>Открыть приложение</b>: удобно для большого каталога и длинной переписки с фото.\n' : '') +
    '\n/start меню · /new новая заявка · /my мои заявки · /cancel прервать текущее действие · /language язык · /help справка',
  fallback: 'Я не понял. Воспользуйтесь кнопками ниже или /help.',
  privateOnly: 'Чтобы оформить заявку, напишите мне в личном чате.',
  somethingWentWrong: '😕 У нас что-то пошло не так. Пожалуйста, попробуйте ещё раз.',
  menuExpired: 'Это меню устарело. Вот новое.',
  cancelled: 'Отменено. Ничего не отправлено.',
  nothingToCancel: 'Отменять нечего.',
  rateLimited: (wait) => `Слишком быстро. Попробуйте снова через ${seconds(wait)}.`,
  submitRateLimited: (limit, at, inMinutes) =>
    `⏳ За час вы отправили ${requests(limit)} — больше мы не принимаем. Эту можно будет отправить в ${at} (через ${minutes(inMinutes)}): она сохранена здесь, тогда нажмите «Подтвердить».`,
  submitRateLimitedToast: 'Пока не отправлено: смотрите, когда можно',
  appSubmitRateLimited: 'За час вы отправили несколько заявок — больше мы не принимаем. Пожалуйста, попробуйте позже.',

  buttonNewRequest: '📝 Новая заявка',
  buttonMyRequests: '📋 Мои заявки',
  buttonHelp: '❓ Помощь',
  buttonBack: '⬅️ Назад',
  buttonCancel: '✖️ Отмена',
  buttonMenu: '🏠 Меню',
  buttonPrev: '◀️',
  buttonNext: '▶️',
  buttonSkip: 'Пропустить ⏭',
  buttonConfirm: '✅ Подтвердить',
  buttonEdit: '✏️ Изменить',
  buttonRetry: '🔁 Повторить',
  buttonRefresh: '🔄 Обновить',
  buttonShareContact: '📱 Поделиться номером телефона',
  buttonViewRequest: (number) => `🔎 Открыть ${number}`,

  chooseRequestType: '<b>Новая заявка</b>\nШаг 1 из 4: выберите тип заявки.',
  chooseSide: (type) => `<b>${type}</b>\nШаг 2 из 4: для кого эта заявка?`,
  chooseCategory: (type, side, page, pages) =>
    `<b>${type}</b> · ${side}\nШаг 3 из 4: выберите услугу${pages > 1 ? ` (страница ${page} из ${pages})` : ''}.`,
  nothingToChoose: 'Здесь пока нечего выбрать. Попробуйте позже.',
  catalogUnavailable: '⚠️ Каталог услуг сейчас недоступен. Попробуйте через минуту.',

  askDescription: (category) =>
    `<b>${category}</b>\nШаг 4 из 4: опишите проблему одним сообщением (от 10 до 2000 символов): что случилось, где и с какого времени.`,
  descriptionTooShort: (min) => `Слишком коротко. Напишите, пожалуйста, не меньше ${characters(min)}.`,
  descriptionTooLong: (max, got) => `Слишком длинно (${characters(got)}). В описании — до ${characters(max)}.`,
  descriptionNeedsText: 'Пожалуйста, отправьте описание текстовым сообщением.',
  askPhoto: 'Хотите добавить фото или файлы (голосовое сообщение, видео, документ)? Отправьте до 10 сейчас (альбом — разом) или нажмите «Пропустить».',
  photoNeedsPhoto: 'Отправьте, пожалуйста, фото или файл (голосовое сообщение, видео, документ) или нажмите «Пропустить».',
  photoAdded: '📎 Фото добавлено.',
  descriptionEdited: '✏️ Описание изменено.',
  commentEditSent: (number) => `✏️ Исправление отправлено в заявку <b>${number}</b>.`,
  filesAdded: (n) => (n === 1 ? '📎 Файл добавлен.' : `📎 Добавлено: ${files(n)}.`),
  filesFull: (max) => `В заявку помещается не больше ${files(max)}; этот не добавлен.`,
  askContact: 'Можно вам позвонить? Нажмите кнопку, чтобы поделиться номером, или «Пропустить».',
  contactNotYours: 'Поделитесь, пожалуйста, своим номером кнопкой ниже или нажмите «Пропустить».',
  contactAdded: '📞 Номер телефона добавлен.',
  contactSkipped: 'Хорошо, без номера телефона.',

  draftInProgress: (what) => `У вас есть незаконченная заявка (${what}).\nПродолжите с того места, где остановились, или удалите её.`,
  buttonContinue: '▶️ Продолжить',
  buttonDiscard: '🗑 Удалить',
  buttonOutdated: 'Эта кнопка устарела. Вот где вы сейчас.',
  upToDate: 'Новостей нет',
  wentBack: '⬅️ Шаг назад.',
  filterShowingAll: 'Уже показаны все заявки',
  filterShowingOpen: 'Уже показаны открытые заявки',
  searchResults: (query, where) => `🔎 Услуги по запросу «${query}»${where ? ` в разделе ${where}` : ''}:`,
  buttonKeep: '✅ Оставить',
  descriptionSoFar: (description) => `<b>Ваше описание:</b>\n${description}\n\nОтправьте новое, чтобы заменить его, или нажмите «Оставить».`,
  replaceDescriptionAsk: (text) => `Заменить описание этим?\n\n${text}`,
  buttonReplaceYes: '✅ Да, заменить',
  buttonReplaceNo: '↩️ Нет, оставить прежнее',
  photoReplaced: '📎 Фото заменено.',
  summaryTakes: 'Здесь можно отправить новое описание, фото или файл. Нажмите «Подтвердить», чтобы отправить заявку.',
  draftFrozen: 'Эта заявка, возможно, уже дошла до нас, поэтому её нельзя изменить. Нажмите «Повторить», чтобы закончить отправку.',
  buttonKeepCache: 'Не очищать',
  cacheKept: 'Хорошо, кэш не тронут.',
  draftReplaced: (what) => `ℹ️ Эта новая заявка заменила вашу незаконченную (${what}).`,
  searchHint: '🔎 Или напишите слово, чтобы найти услугу.',
  searchMore: (shown, total) => `Показаны ${shown} из ${total}: добавьте слово, чтобы сузить поиск.`,
  searchNothing: (query, where) =>
    `По запросу «${query}»${where ? ` в разделе ${where}` : ''} ничего не найдено. Попробуйте другое слово или выберите из списка.`,

  summary: (s) =>
    `<b>Тип:</b> ${s.type}\n<b>Для кого:</b> ${s.side}\n<b>Услуга:</b> ${s.category}\n` +
    `<b>Описание:</b>\n${s.description}\n\n` +
    `<b>Файлы:</b> ${s.files > 0 ? s.files : 'нет'}\n<b>Телефон:</b> ${s.phone ? 'указан' : 'не указан'}`,
  summaryTitle: '<b>Проверьте заявку</b>',
  submitting: '⏳ Отправляю заявку…',
  submitted: (number) => `✅ Заявка <b>${number}</b> создана.\nЯ сообщу, когда изменится её статус.`,
  alreadySubmitted: (number) => `Эта заявка уже отправлена под номером <b>${number}</b>.`,
  submitFailed: '⚠️ Не удалось отправить заявку. Черновик сохранён: нажмите «Повторить».',

  myRequestsTitle: '<b>Ваши последние заявки</b>',
  myRequestsEmpty: 'У вас пока нет заявок.',
  requestsUnavailable: '⚠️ Не удалось загрузить ваши заявки. Попробуйте через минуту.',
  requestNotFound: 'Заявка не найдена.',
  requestDetails: (r) =>
    `<b>Заявка ${r.number}</b>\n<b>Статус:</b> ${r.status}\n` +
    (r.type !== undefined ? `<b>Тип:</b> ${r.type}\n` : '') +
    (r.side !== undefined ? `<b>Для кого:</b> ${r.side}\n` : '') +
    `<b>Услуга:</b> ${r.category}`,
  detailsDescription: (description) => `<b>Описание:</b>\n${description}`,
  detailsFilesAndPhone: (files, phone) =>
    `<b>Файлы:</b> ${files > 0 ? files : 'нет'}` + (phone === undefined ? '' : `\n<b>Телефон:</b> ${phone ? 'указан' : 'не указан'}`),
  detailsDates: (created, updated) => `<b>Создана:</b> ${created}\n<b>Обновлена:</b> ${updated}`,
  statusChanged: (number, status) => `🔔 Статус заявки <b>${number}</b>: <b>${status}</b>.`,
  statusComment: (comment) => `💬 ${comment}`,

  status: {
    new: 'Новая',
    in_progress: 'В работе',
    waiting_for_customer: 'Ждёт вашего ответа',
    resolved: 'Решена',
    closed: 'Закрыта',
    rejected: 'Отклонена',
    cancelled: 'Отменена',
  },

  chooseLanguage: 'Выберите язык:',
  languageChanged: 'Язык переключён на русский.',

  adminOnly: 'Эта команда только для администраторов.',
  cacheCleared: (version) => `🧹 Кэш очищен на всех экземплярах (версия ${version}).`,
  cacheClearConfirm: 'Очистить общий кэш на всех экземплярах? Следующие запросы пойдут в бэкенд.',
  buttonClearCache: '🧹 Очистить кэш',

  // The thread and comments
  buttonAddComment: '💬 Добавить комментарий',
  buttonReply: '↩️ Ответить',
  buttonEarlier: '◀️ Раньше',
  buttonLater: 'Позже ▶️',
  threadTitle: (page, pages) => `<b>История</b>${pages > 1 ? ` (стр. ${page} из ${pages})` : ''}`,
  threadYou: 'Вы',
  threadAgent: 'Служба поддержки',
  buttonReadInFull: (what) => `📖 Читать полностью: ${what}`,
  descriptionWord: 'Описание',
  fullTextOf: (number, what) => `📖 <b>${number}</b> · ${what}, полностью:`,
  unnamedFile: { photo: 'фото', document: 'файл', voice: 'голосовое', audio: 'аудио', video: 'видео', video_note: 'видеокружок', animation: 'анимация' },
  threadShortened: '… (сокращено)',
  commentPrompt: (number) =>
    `💬 Комментарий к заявке <b>${number}</b>: отправьте сообщение (до 4000 символов), фото, документ или альбом.\nНажмите «Отмена», чтобы выйти.`,
  commentAdded: (number) => `✅ Добавлено к заявке <b>${number}</b>.`,
  commentFilesAdded: (number, added) => `✅ К заявке <b>${number}</b> ${added % 10 === 1 && added % 100 !== 11 ? 'добавлен' : 'добавлено'} ${files(added)}.`,
  commentClosed: (number) => `Заявка <b>${number}</b> закрыта, комментарии к ней больше не принимаются. Можно оформить новую заявку.`,
  commentFailed: '⚠️ Не удалось добавить комментарий. Нажмите «Повторить»: он не добавится дважды.',
  commentTooLong: (max, got) => `Слишком длинно (${characters(got)}). В комментарии — до ${characters(max)}.`,
  commentFileTooBig: (maxMb) => `Этот файл слишком большой для службы поддержки: не больше ${maxMb} МБ. Отправьте файл поменьше или ссылку.`,
  cannotTakeThat: 'Стикеры, опросы, кубики и чужие контакты в заявку не попадут. Можно отправить текст, фото, файл, голосовое сообщение, видео или геопозицию.',
  commentUnsupported: 'Отправьте текст, фото, файл, голосовое сообщение или видео.',
  commentCancelled: 'Хорошо, ничего не добавлено.',
  agentComment: (number, author) => `💬 <b>${author}</b> по вашей заявке <b>${number}</b>:`,
  agentCommentReplyHint: 'Нажмите «Ответить» или смахните это сообщение, чтобы ответить.',
  agentCommentOnClosed: 'Заявка закрыта, комментарии к ней больше не принимаются.',
  reminderWaiting: (number) => `⏳ Заявка <b>${number}</b> ждёт вашего ответа.`,
  agentCommentUpdated: (number, author) => `✏️ Изменено: <b>${author}</b> по вашей заявке <b>${number}</b>:`,
  fileNotDelivered: (name) => `📎 Не удалось доставить файл ${name}. Попросите его в ответе или попробуйте позже.`,
  // A request's life (cancel, confirm or reopen, rating, paging, deep links, /link)
  buttonCancelRequest: '✖️ Отменить заявку',
  buttonYesCancel: '🗑 Да, отменить',
  buttonKeepRequest: '⬅️ Нет, оставить',
  buttonNeverMind: '✖️ Не нужно',
  buttonSolved: '✅ Решено',
  buttonStillAProblem: '↩️ Проблема осталась',
  buttonOlder: 'Раньше ▶',
  buttonNewest: '⏮ Новые',
  buttonFilterOpen: 'Открытые',
  buttonFilterAll: 'Все',
  filterChosen: (label) => `• ${label} •`,
  myRequestsOpenTitle: '<b>Ваши открытые заявки</b>',
  myRequestsOlderTitle: '<b>Ваши более ранние заявки</b>',
  myRequestsOpenEmpty: 'У вас нет открытых заявок.',
  sending: '⏳ Отправляю…',
  actionFailed: '⚠️ Сейчас не получилось. Попробуйте, пожалуйста, через минуту.',
  cancelAsk: (number) => `Отменить заявку <b>${number}</b>? Это действие нельзя отменить.`,
  requestCancelled: (number) => `✖️ Заявка <b>${number}</b> отменена.`,
  cannotCancel: (number, status) => `Заявку <b>${number}</b> уже нельзя отменить: её статус — ${status}.`,
  reasonNeedsText: 'Пожалуйста, напишите причину текстовым сообщением.',
  reasonTooLong: (max, got) => `Слишком длинно (${characters(got)}). Можно до ${characters(max)}.`,
  nothingChanged: 'Хорошо, ничего не изменилось.',
  requestHolds: (number, status) => `Хорошо. Заявка <b>${number}</b>: <b>${status}</b>.`,
  nothingMoreSent: (number) => `Хорошо, по заявке <b>${number}</b> больше ничего не отправлено.`,
  confirmedSolved: (number) => `✅ Рады, что всё решено! Заявка <b>${number}</b> закрыта.`,
  notAwaitingAnswer: (number, status) => `Заявка <b>${number}</b> больше не ждёт вашего ответа: её статус — ${status}.`,
  askRating: 'Как вы оцените обслуживание? Нажмите на звёзды.',
  ratingThanks: (number, stars) => `⭐ Спасибо! Ваша оценка заявки <b>${number}</b>: ${stars}`,
  alreadyRated: (number) => `Вы уже оценили заявку <b>${number}</b>. Спасибо, одной оценки достаточно!`,
  cannotRate: (number, status) => `Заявку <b>${number}</b> нельзя оценить, пока её статус — ${status}.`,
  ratingLine: (stars, comment) => `<b>Ваша оценка:</b> ${stars}${comment ? `\n💬 ${comment}` : ''}`,
  reopenAsk: (number, max) => `Что всё ещё не так с заявкой <b>${number}</b>? Напишите сообщение (до ${characters(max)}), пришлите фото или файл.`,
  reopenNeedsInput: 'Пожалуйста, отправьте текст, фото или файл либо нажмите «Не нужно».',
  requestReopened: (number) => `↩️ Заявка <b>${number}</b> открыта снова. Мы с вами свяжемся.`,
  reopenLimit: (number) =>
    `Заявку <b>${number}</b> уже открывали повторно столько раз, сколько можно. Пожалуйста, оформите новую заявку: мы посмотрим заново.`,
  reopenLimitOffer: (number) =>
    `Заявку <b>${number}</b> уже открывали повторно столько раз, сколько можно, поэтому вот новая заявка с тем, что вы написали. Проверьте её и нажмите «Подтвердить»: мы посмотрим заново.`,
  deepLinkInvalid: 'Эта ссылка неверна или больше не работает. Пожалуйста, выберите услугу в меню.',
  locationLine: (location) => `📍 <b>Место:</b> ${location}`,
  geoLine: (place) => `🗺 ${place}`,
  geoAdded: (place) => `🗺 Место на карте добавлено: ${place}.`,
  linkChooseType: '<b>QR-ссылка для плаката</b>\nШаг 1 из 4: выберите тип заявки.',
  linkAskLocation: (category, max) =>
    `<b>${category}</b>\nШаг 4 из 4: напишите место для плаката (до ${characters(max)}, например «Корпус 3, лифт Б») или нажмите «Пропустить».`,
  linkLocationTooLong: (max, got) => `В этом месте ${characters(got)}. Можно до ${characters(max)}.`,
  linkLocationUnsupported: 'Пожалуйста, используйте только русские или латинские буквы, цифры, пробелы и простые знаки препинания.',
  linkNoUsername: 'Я пока не знаю своего имени пользователя. Попробуйте, пожалуйста, через минуту.',
  linkReady: (link, service) => `🔗 ${link}\n${service}\nРаспечатайте QR-код: по нему откроется новая заявка на эту услугу.`,
  // A confirmed action happens at the tap; what follows is optional
  cancelledAskReason: (number, max) =>
    `✖️ Заявка <b>${number}</b> отменена.\n\nЕсли хотите, напишите одним сообщением, почему (до ${characters(max)}), или нажмите «Пропустить».`,
  reasonAttached: 'Причина добавлена к заявке.',
  ratingAskComment: (max) => `Если хотите, добавьте комментарий одним сообщением (до ${characters(max)}) или нажмите «Пропустить».`,
  ratingCommentAttached: 'Ваш комментарий добавлен к оценке.',
  followUpNotAttached: (number) => `Заявка <b>${number}</b> больше не принимает комментарии, поэтому текст не добавлен.`,
  // The Mini App (a web page Telegram opens inside the chat): its buttons in the chat, and the page's own words.
  buttonOpenApp: '📱 Открыть приложение',
  buttonOpenInApp: '📱 Открыть в приложении',
  menuButtonApp: 'Заявки',
  createdInApp: (number) => `✅ Заявка <b>${number}</b> создана в приложении. Я сообщу, когда её статус изменится.`,
  appLinkLine: (link) => `📱 В приложении: ${link}`,
  appOpenFromTelegram: 'Откройте это в Telegram',
  appOpenFromTelegramHint: 'Эта страница работает только внутри Telegram: откройте бота и нажмите кнопку приложения в его меню.',
  appExpiredHint: 'Страница открыта слишком долго. Закройте её и откройте снова из чата.',
  appLoading: 'Загрузка…',
  appRetry: '🔁 Повторить',
  appSearchPlaceholder: 'Поиск услуги, например «кран» или «лифт»',
  appSearchNothing: 'Ничего не нашлось. Попробуйте другое слово.',
  appStepDescribe: 'Опишите проблему',
  appDescriptionPlaceholder: 'Что случилось, где и с каких пор',
  appDescriptionCount: (length, min, max) => `${length} / ${max} (не меньше ${min})`,
  appAddFiles: '📎 Добавить фото или файлы',
  appRemoveFile: 'Убрать',
  appFileTooBig: (name, maxMb) => `Файл ${name} больше ${maxMb} МБ. Выберите файл поменьше.`,
  appUploadFailed: (name) => `Не удалось загрузить ${name}. Попробуйте ещё раз.`,
  appUploading: 'Загрузка…',
  appPhoneLabel: 'Телефон',
  appPhoneNotShared: 'не указан',
  appNext: 'Далее',
  appSummary: 'Проверьте заявку',
  appLabelType: 'Тип',
  appLabelSide: 'Для кого',
  appLabelService: 'Услуга',
  appLabelDescription: 'Описание',
  appLabelFiles: 'Файлы',
  appLabelCreated: 'Создана',
  appLabelUpdated: 'Обновлена',
  appFilesCount: (count) => files(count),
  appNone: 'нет',
  appHistory: 'История',
  appDownload: 'Скачать',
  appCommentPlaceholder: 'Ваш комментарий',
  appSend: 'Отправить',
  appCancelReasonPlaceholder: 'Почему вы отменяете? (необязательно)',
  appReopenPlaceholder: 'Что всё ещё не так?',
  appRatingCommentPlaceholder: 'Комментарий (необязательно)',
  appChatUnavailable: 'Сначала начните чат с ботом (откройте его и нажмите «Старт»), затем попробуйте снова.',
  appSendRating: '📨 Отправить оценку',
  appNothingMore: 'Это всё.',
};

import { pluralOf } from './plural.js';

const count = pluralOf('en');
const characters = (n: number) => count(n, { one: 'character', other: 'characters' });
const files = (n: number) => count(n, { one: 'file', other: 'files' });
const seconds = (n: number) => count(n, { one: 'second', other: 'seconds' });
const minutes = (n: number) => count(n, { one: 'minute', other: 'minutes' });
const requests = (n: number) => count(n, { one: 'request', other: 'requests' });

/**
 * English messages: the reference catalogue. Every other language has exactly these keys
 * (the `Messages` type makes a missing one a compile error). Texts are sent with HTML parse mode,
 * so anything a person or the backend wrote is escaped by the caller before it gets here.
 */
export const en = {
  languageName: 'English',
  welcome: (name: string) =>
    `👋 Hello, ${name}!\n\nI can open a service request for you and keep you posted on its status.\nChoose what you want to do:`,
  mainMenu: 'What would you like to do?',
  /** Everything a person can do, short enough to scan; the Mini App's line only where it is deployed. */
  help: (app: boolean) =>
    '<b>How it works</b>\n' +
    '📝 <b>New request</b>: choose the type, who it is for and the service, describe the problem (10 to 2000 characters), add a photo and a phone number if you like, and confirm. You get a number like SR-1042.\n' +
    '🔎 On a service list, type a word to find a service; <code>/new plumbing</code> searches everything.\n' +
    '📷 A QR code or link on a poster opens a request for that place directly.\n\n' +
    '<b>Your requests</b>\n' +
    '📋 <b>My requests</b>: the newest first, <b>All</b> or <b>Open</b> only; tap one for its details and history.\n' +
    '💬 <b>Add comment</b> on a request, or <b>Reply</b> to an agent: text, a photo or a file. Or swipe any of my messages about a request to reply to it.\n' +
    '✖️ <b>Cancel request</b> while it is open; a reason is optional.\n' +
    '✅ <b>Solved</b> or ↩️ <b>Still a problem</b> when the agent resolves it; then rate it 1⭐ to 5⭐.\n' +
    '🔔 I message you when anything changes.\n' +
    (app ? '📱 <b>Open the app</b> for a big catalogue and long threads with photos.\n' : '') +
    '\n/start menu · /new new request · /my my requests · /cancel stop what you are doing · /language language · /help this help',
  fallback: 'I did not understand that. Use the buttons below, or /help.',
  privateOnly: 'Please message me in a private chat to open a service request.',
  somethingWentWrong: '😕 Something went wrong on our side. Please try again.',
  menuExpired: 'This menu has expired. Here is a fresh one.',
  cancelled: 'Cancelled. Nothing was sent.',
  nothingToCancel: 'There is nothing to cancel.',
  rateLimited: (wait: number) => `You are going a bit fast. Please try again in ${seconds(wait)}.`,
  submitRateLimited: (limit: number, at: string, inMinutes: number) =>
    `⏳ You have sent ${requests(limit)} within an hour, as many as we take. You can send this one at ${at} (in ${minutes(inMinutes)}): it is kept here, tap Confirm then.`,
  submitRateLimitedToast: 'Not sent yet: see when you can send it',
  /** The Mini App's answer (its API does not say when). */
  appSubmitRateLimited: 'You have sent several requests within an hour, as many as we take. Please try again later.',

  buttonNewRequest: '📝 New request',
  buttonMyRequests: '📋 My requests',
  buttonHelp: '❓ Help',
  buttonBack: '⬅️ Back',
  buttonCancel: '✖️ Cancel',
  buttonMenu: '🏠 Menu',
  buttonPrev: '◀️',
  buttonNext: '▶️',
  buttonSkip: 'Skip ⏭',
  buttonConfirm: '✅ Confirm',
  buttonEdit: '✏️ Edit',
  buttonRetry: '🔁 Try again',
  buttonRefresh: '🔄 Refresh',
  buttonShareContact: '📱 Share my phone number',
  buttonViewRequest: (number: string) => `🔎 View ${number}`,

  chooseRequestType: '<b>New request</b>\nStep 1 of 4: choose the request type.',
  chooseSide: (type: string) => `<b>${type}</b>\nStep 2 of 4: who is this request for?`,
  chooseCategory: (type: string, side: string, page: number, pages: number) =>
    `<b>${type}</b> · ${side}\nStep 3 of 4: choose the service${pages > 1 ? ` (page ${page} of ${pages})` : ''}.`,
  nothingToChoose: 'There is nothing to choose here yet. Please try again later.',
  catalogUnavailable: '⚠️ The service catalogue is unavailable right now. Please try again in a minute.',

  askDescription: (category: string) =>
    `<b>${category}</b>\nStep 4 of 4: describe the problem in one message (10 to 2000 characters): what happened, where, since when.`,
  descriptionTooShort: (min: number) => `That is a bit short. Please write at least ${characters(min)} so we can help.`,
  descriptionTooLong: (max: number, got: number) =>
    `That is too long (${characters(got)}). A description takes up to ${characters(max)}.`,
  descriptionNeedsText: 'Please send the description as a text message.',
  askPhoto: 'Would you like to add a photo or files (a voice message, a video, a document)? Send up to 10 now (an album at once), or tap Skip.',
  photoNeedsPhoto: 'Please send a photo or a file (a voice message, a video, a document), or tap Skip.',
  photoAdded: '📎 Photo added.',
  descriptionEdited: '✏️ Description updated.',
  commentEditSent: (number: string) => `✏️ Your edit was sent to <b>${number}</b>.`,
  filesAdded: (n: number) => (n === 1 ? '📎 File added.' : `📎 ${files(n)} added.`),
  filesFull: (max: number) => `A request takes up to ${files(max)}; this one was not added.`,
  askContact: 'Can we call you? Tap the button to share your phone number, or Skip.',
  contactNotYours: 'Please share your own phone number with the button below, or tap Skip.',
  contactAdded: '📞 Phone number added.',
  contactSkipped: 'OK, no phone number.',

  // Where messages and taps go: a parked draft, search, the draft's own screens
  draftInProgress: (what: string) => `You have a request in progress (${what}).\nContinue where you stopped, or discard it.`,
  buttonContinue: '▶️ Continue',
  buttonDiscard: '🗑 Discard',
  buttonOutdated: 'This button is out of date. Here is where you are.',
  upToDate: 'Up to date',
  wentBack: '⬅️ One step back.',
  filterShowingAll: 'Already showing all requests',
  filterShowingOpen: 'Already showing open requests',
  searchResults: (query: string, where: string) => `🔎 Services matching “${query}”${where ? ` in ${where}` : ''}:`,
  buttonKeep: '✅ Keep it',
  descriptionSoFar: (description: string) => `<b>Your description so far:</b>\n${description}\n\nSend a new one to replace it, or tap Keep it.`,
  replaceDescriptionAsk: (text: string) => `Replace the description with this?\n\n${text}`,
  buttonReplaceYes: '✅ Yes, replace',
  buttonReplaceNo: '↩️ No, keep the old one',
  photoReplaced: '📎 Photo replaced.',
  summaryTakes: 'Here you can send a new description, a photo or a file. Tap Confirm to send the request.',
  draftFrozen: 'This request may already have reached us, so it can no longer be changed. Tap Try again to finish sending it.',
  buttonKeepCache: 'Keep',
  cacheKept: 'OK, the cache is kept. Nothing was cleared.',
  draftReplaced: (what: string) => `ℹ️ This new request replaces your unfinished one (${what}).`,
  searchHint: '🔎 Or type a word to find a service.',
  searchMore: (shown: number, total: number) => `Showing ${shown} of ${total}: add a word to narrow it down.`,
  searchNothing: (query: string, where: string) =>
    `Nothing matches “${query}”${where ? ` in ${where}` : ''}. Try another word, or choose from the list.`,

  summary: (s: { type: string; side: string; category: string; description: string; files: number; phone: boolean }) =>
    `<b>Type:</b> ${s.type}\n<b>For:</b> ${s.side}\n<b>Service:</b> ${s.category}\n` +
    `<b>Description:</b>\n${s.description}\n\n` +
    `<b>Files:</b> ${s.files > 0 ? s.files : 'none'}\n<b>Phone:</b> ${s.phone ? 'shared' : 'not shared'}`,
  summaryTitle: '<b>Please check your request</b>',
  submitting: '⏳ Sending your request…',
  submitted: (number: string) =>
    `✅ Your request <b>${number}</b> has been created.\nI will let you know when its status changes.`,
  alreadySubmitted: (number: string) => `This request was already sent as <b>${number}</b>.`,
  submitFailed: '⚠️ We could not send your request right now. Your draft is kept: tap Try again.',

  myRequestsTitle: '<b>Your latest requests</b>',
  myRequestsEmpty: 'You have no requests yet.',
  requestsUnavailable: '⚠️ Your requests cannot be loaded right now. Please try again in a minute.',
  requestNotFound: 'This request was not found.',
  /** The details' head: what was submitted (type and side when the backend names them). */
  requestDetails: (r: { number: string; status: string; type?: string; side?: string; category: string }) =>
    `<b>Request ${r.number}</b>\n<b>Status:</b> ${r.status}\n` +
    (r.type !== undefined ? `<b>Type:</b> ${r.type}\n` : '') +
    (r.side !== undefined ? `<b>For:</b> ${r.side}\n` : '') +
    `<b>Service:</b> ${r.category}`,
  detailsDescription: (description: string) => `<b>Description:</b>\n${description}`,
  detailsFilesAndPhone: (files: number, phone: boolean | undefined) =>
    `<b>Files:</b> ${files > 0 ? files : 'none'}` + (phone === undefined ? '' : `\n<b>Phone:</b> ${phone ? 'shared' : 'not shared'}`),
  detailsDates: (created: string, updated: string) => `<b>Created:</b> ${created}\n<b>Updated:</b> ${updated}`,
  statusChanged: (number: string, status: string) => `🔔 Your request <b>${number}</b> is now: <b>${status}</b>.`,
  statusComment: (comment: string) => `💬 ${comment}`,

  status: {
    new: 'New',
    in_progress: 'In progress',
    waiting_for_customer: 'Waiting for you',
    resolved: 'Resolved',
    closed: 'Closed',
    rejected: 'Rejected',
    cancelled: 'Cancelled',
  },

  chooseLanguage: 'Choose your language:',
  languageChanged: 'Language set to English.',

  adminOnly: 'This command is for administrators.',
  cacheCleared: (version: number) => `🧹 Cache cleared on every instance (namespace version ${version}).`,
  cacheClearConfirm: 'Clear the shared cache on every instance? The next requests will go to the backend.',
  buttonClearCache: '🧹 Clear cache',

  // The thread and comments
  buttonAddComment: '💬 Add comment',
  buttonReply: '↩️ Reply',
  buttonEarlier: '◀️ Earlier',
  buttonLater: 'Later ▶️',
  threadTitle: (page: number, pages: number) => `<b>History</b>${pages > 1 ? ` (page ${page} of ${pages})` : ''}`,
  threadYou: 'You',
  threadAgent: 'Service desk',
  buttonReadInFull: (what: string) => `📖 Read in full: ${what}`,
  descriptionWord: 'Description',
  fullTextOf: (number: string, what: string) => `📖 <b>${number}</b> · ${what}, in full:`,
  /** What a file without a name is called on its button (Telegram gives photos, voice and round videos none). */
  unnamedFile: { photo: 'photo', document: 'file', voice: 'voice message', audio: 'audio', video: 'video', video_note: 'video note', animation: 'animation' },
  threadShortened: '… (shortened)',
  commentPrompt: (number: string) =>
    `💬 Your comment on <b>${number}</b>: send a message (up to 4000 characters), a photo or a document, or an album.\nTap Cancel to stop.`,
  commentAdded: (number: string) => `✅ Added to <b>${number}</b>.`,
  commentFilesAdded: (number: string, added: number) => `✅ Added ${files(added)} to <b>${number}</b>.`,
  commentClosed: (number: string) => `<b>${number}</b> is closed and takes no more comments. You can open a new request instead.`,
  commentFailed: '⚠️ Your comment could not be added right now. Tap Try again: it will not be added twice.',
  commentTooLong: (max: number, got: number) => `That is too long (${characters(got)}). A comment takes up to ${characters(max)}.`,
  commentFileTooBig: (maxMb: number) => `That file is too big for the service desk: up to ${maxMb} MB. Please send a smaller file or a link.`,
  cannotTakeThat: 'Stickers, polls, dice and other people’s contacts cannot go into a request. You can send text, a photo, a file, a voice message, a video or a location.',
  commentUnsupported: 'Please send text, a photo, a file, a voice message or a video.',
  commentCancelled: 'OK, nothing was added.',
  agentComment: (number: string, author: string) => `💬 <b>${author}</b> on your request <b>${number}</b>:`,
  agentCommentReplyHint: 'Tap Reply, or swipe this message to answer.',
  agentCommentOnClosed: 'This request is closed and takes no more comments.',
  reminderWaiting: (number: string) => `⏳ <b>${number}</b> is waiting for your answer.`,
  agentCommentUpdated: (number: string, author: string) => `✏️ Updated: <b>${author}</b> on your request <b>${number}</b>:`,
  fileNotDelivered: (name: string) => `📎 ${name} could not be delivered. Ask for it in a reply, or try again later.`,
  // A request's life (cancel, confirm or reopen, rating, paging, deep links, /link)
  buttonCancelRequest: '✖️ Cancel request',
  buttonYesCancel: '🗑 Yes, cancel it',
  buttonKeepRequest: '⬅️ No, keep it',
  buttonNeverMind: '✖️ Never mind',
  buttonSolved: '✅ Solved',
  buttonStillAProblem: '↩️ Still a problem',
  buttonOlder: 'Older ▶',
  buttonNewest: '⏮ Newest',
  buttonFilterOpen: 'Open',
  buttonFilterAll: 'All',
  filterChosen: (label: string) => `• ${label} •`,
  myRequestsOpenTitle: '<b>Your open requests</b>',
  myRequestsOlderTitle: '<b>Your older requests</b>',
  myRequestsOpenEmpty: 'You have no open requests.',
  sending: '⏳ Sending…',
  actionFailed: '⚠️ That did not go through right now. Please try again in a minute.',
  cancelAsk: (number: string) => `Cancel request <b>${number}</b>? This cannot be undone.`,
  requestCancelled: (number: string) => `✖️ Request <b>${number}</b> is cancelled.`,
  cannotCancel: (number: string, status: string) => `<b>${number}</b> can no longer be cancelled: its status is ${status}.`,
  reasonNeedsText: 'Please send the reason as a text message.',
  reasonTooLong: (max: number, got: number) => `That is too long (${characters(got)}). It takes up to ${characters(max)}.`,
  nothingChanged: 'OK, nothing was changed.',
  /** Never mind on a question about a request: where it stands now. */
  requestHolds: (number: string, status: string) => `OK. Request <b>${number}</b> is <b>${status}</b>.`,
  nothingMoreSent: (number: string) => `OK, nothing more was sent about <b>${number}</b>.`,
  confirmedSolved: (number: string) => `✅ Glad it is solved! Request <b>${number}</b> is closed.`,
  notAwaitingAnswer: (number: string, status: string) => `<b>${number}</b> is not waiting for your answer any more: its status is ${status}.`,
  askRating: 'How would you rate the service? Tap the stars.',
  ratingThanks: (number: string, stars: string) => `⭐ Thank you! Your rating of <b>${number}</b>: ${stars}`,
  alreadyRated: (number: string) => `You have already rated <b>${number}</b>. Thank you, once is enough!`,
  cannotRate: (number: string, status: string) => `<b>${number}</b> cannot be rated while its status is ${status}.`,
  ratingLine: (stars: string, comment: string | undefined) => `<b>Your rating:</b> ${stars}${comment ? `\n💬 ${comment}` : ''}`,
  reopenAsk: (number: string, max: number) => `What is still wrong with <b>${number}</b>? Send a message (up to ${characters(max)}), a photo or a file.`,
  reopenNeedsInput: 'Please send a text message, a photo or a file, or tap Never mind.',
  requestReopened: (number: string) => `↩️ Request <b>${number}</b> is reopened. We will get back to you.`,
  reopenLimit: (number: string) =>
    `<b>${number}</b> has been reopened as many times as allowed. Please open a new request: we will look at it afresh.`,
  reopenLimitOffer: (number: string) =>
    `<b>${number}</b> has been reopened as many times as allowed, so here is a new request with what you wrote. Check it and tap Confirm: we will look at it afresh.`,
  deepLinkInvalid: 'This link is not valid or no longer works. Please choose the service from the menu.',
  locationLine: (location: string) => `📍 <b>Location:</b> ${location}`,
  geoLine: (place: string) => `🗺 ${place}`,
  geoAdded: (place: string) => `🗺 Location added: ${place}.`,
  linkChooseType: '<b>QR link for a poster</b>\nStep 1 of 4: choose the request type.',
  linkAskLocation: (category: string, max: number) =>
    `<b>${category}</b>\nStep 4 of 4: type the location for the poster (up to ${characters(max)}, e.g. Building 3, lift B), or tap Skip.`,
  linkLocationTooLong: (max: number, got: number) => `That location is ${characters(got)} long. It takes up to ${characters(max)}.`,
  linkLocationUnsupported: 'Please use Latin or Cyrillic letters, digits, spaces and simple punctuation only.',
  linkNoUsername: 'I do not know my own username yet. Please try again in a moment.',
  linkReady: (link: string, service: string) => `🔗 ${link}\n${service}\nPrint the QR code: scanning it opens a new request for this service.`,
  // A confirmed action happens at the tap; what follows is optional
  cancelledAskReason: (number: string, max: number) =>
    `✖️ Request <b>${number}</b> is cancelled.\n\nIf you like, tell us why in one message (up to ${characters(max)}), or tap Skip.`,
  reasonAttached: 'Your reason is attached.',
  ratingAskComment: (max: number) => `If you like, add a comment in one message (up to ${characters(max)}), or tap Skip.`,
  ratingCommentAttached: 'Your comment is attached.',
  followUpNotAttached: (number: string) => `<b>${number}</b> takes no more comments, so your text could not be attached.`,
  // The Mini App (a web page Telegram opens inside the chat): its buttons in the chat, and the page's own words.
  buttonOpenApp: '📱 Open the app',
  buttonOpenInApp: '📱 Open in the app',
  menuButtonApp: 'Requests',
  createdInApp: (number: string) => `✅ <b>${number}</b> created in the app. I will let you know when its status changes.`,
  appLinkLine: (link: string) => `📱 In the app: ${link}`,
  appOpenFromTelegram: 'Open this from Telegram',
  appOpenFromTelegramHint: 'This page works inside Telegram only: open the bot and tap the app button in its menu.',
  appExpiredHint: 'This page has been open for too long. Close it and open it again from the chat.',
  appLoading: 'Loading…',
  appRetry: '🔁 Try again',
  appSearchPlaceholder: 'Search services, e.g. tap or lift',
  appSearchNothing: 'Nothing found. Try another word.',
  appStepDescribe: 'Describe the problem',
  appDescriptionPlaceholder: 'What happened, where, since when',
  appDescriptionCount: (length: number, min: number, max: number) => `${length} / ${max} (at least ${min})`,
  appAddFiles: '📎 Add photos or files',
  appRemoveFile: 'Remove',
  appFileTooBig: (name: string, maxMb: number) => `${name} is larger than ${maxMb} MB. Please pick a smaller file.`,
  appUploadFailed: (name: string) => `${name} could not be uploaded. Please try again.`,
  appUploading: 'Uploading…',
  appPhoneLabel: 'Phone',
  appPhoneNotShared: 'not shared',
  appNext: 'Next',
  appSummary: 'Check your request',
  appLabelType: 'Type',
  appLabelSide: 'For',
  appLabelService: 'Service',
  appLabelDescription: 'Description',
  appLabelFiles: 'Files',
  appLabelCreated: 'Created',
  appLabelUpdated: 'Updated',
  appFilesCount: (count: number) => files(count),
  appNone: 'none',
  appHistory: 'History',
  appDownload: 'Download',
  appCommentPlaceholder: 'Your comment',
  appSend: 'Send',
  appCancelReasonPlaceholder: 'Why are you cancelling? (optional)',
  appReopenPlaceholder: 'What is still wrong?',
  appRatingCommentPlaceholder: 'A comment (optional)',
  appChatUnavailable: 'Start the chat with the bot first (open it and tap Start), then try again.',
  appSendRating: '📨 Send rating',
  appNothingMore: 'That is all.',
} as const;

type Widen<T> = T extends (...args: infer A) => string
  ? (...args: A) => string
  : T extends string
    ? string
    : { readonly [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof en>;

// Builders for the Telegram updates a user's taps and messages produce; they live in tools/sandbox,
// which sends them to the real webhook for `npm start`.
export {
  SANDBOX_BOT as TEST_BOT,
  SANDBOX_BOT_TOKEN as TEST_BOT_TOKEN,
  albumUpdates,
  callbackUpdate,
  contactUpdate,
  documentUpdate,
  nextUpdateId,
  photoUpdate,
  privateChatOf,
  textUpdate,
  userOf,
  type AlbumItem,
  type Sender,
} from '../../tools/sandbox/updates.js';

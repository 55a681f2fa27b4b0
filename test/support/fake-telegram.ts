// The fake Telegram Bot API of the tests is the sandbox's Bot API server (tools/sandbox), under the
// names the tests use.
export {
  messageText,
  startBotApiServer as startFakeTelegram,
  type ApiCall,
  type DownloadRecord,
  type FakeFile,
  type BotApiServer as FakeTelegram,
  type BotApiServerOptions as FakeTelegramOptions,
  type FailAnswer,
  type RegisterFileOptions,
  type SentFile,
  type TelegramAnswer,
  type UploadedFile,
} from '../../tools/sandbox/bot-api-server.js';

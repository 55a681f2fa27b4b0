// The fake Telegram Bot API of the tests is the sandbox's Bot API server (tools/sandbox), under the
// names the tests use.
export {
  messageText,
  startBotApiServer as startFakeTelegram,
  type ApiCall,
  type BotApiServer as FakeTelegram,
  type BotApiServerOptions as FakeTelegramOptions,
  type FailAnswer,
  type TelegramAnswer,
  type UploadedFile,
} from '../../tools/sandbox/bot-api-server.js';

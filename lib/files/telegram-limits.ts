// The Bot API's file size limits (https://core.telegram.org/bots/api#sending-files, #getfile).
// Telegram writes "MB"; these are mebibytes, the stricter reading of the two.
const MB = 1024 * 1024;

/** getFile refuses bigger files ("file is too big"): a bot cannot download them at all. */
export const MAX_BOT_DOWNLOAD_BYTES = 20 * MB;

/** sendPhoto takes a photo of at most 10 MB; a bigger image has to go as a document. */
export const MAX_PHOTO_UPLOAD_BYTES = 10 * MB;

/** Any other file a bot uploads with multipart/form-data: at most 50 MB. */
export const MAX_UPLOAD_BYTES = 50 * MB;

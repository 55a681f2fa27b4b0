export interface QrCodeOptions {
  /** Width and height of the PNG in pixels; large enough to print on A4 without blur. */
  readonly widthPx?: number;
}

/**
 * A PNG QR code of `text`, ready to print. The QR library is loaded here, on the first code made,
 * not with the function: a cold start that makes no QR code does not pay for it.
 * Error correction Q (25 % of the code may be lost): posters get scratched and dirty.
 */
export async function qrCodePng(text: string, options: QrCodeOptions = {}): Promise<Buffer> {
  const { default: qrcode } = await import('qrcode');
  return qrcode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'Q', margin: 4, width: options.widthPx ?? 1024 });
}

/** The same code as text for a terminal (two rows of modules per line). */
export async function qrCodeText(text: string): Promise<string> {
  const { default: qrcode } = await import('qrcode');
  return qrcode.toString(text, { type: 'utf8', errorCorrectionLevel: 'Q', margin: 2 });
}

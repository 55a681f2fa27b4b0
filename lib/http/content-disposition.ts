/**
 * `attachment; filename="…"` for a download. The quoted name is a safe ASCII stand-in (no quotes,
 * backslashes or control characters to break the header); a name beyond that also goes in
 * `filename*` (RFC 6266 / RFC 5987), which every current browser and HTTP client prefers.
 */
export function attachmentDisposition(fileName: string): string {
  const name = fileName.replace(/[\r\n]/g, '').trim() || 'file';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function encodeRfc5987(value: string): string {
  // encodeURIComponent leaves a few characters RFC 5987's attr-char does not allow.
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

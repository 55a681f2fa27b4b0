import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../lib/http/content-disposition.js';

describe('attachmentDisposition', () => {
  it('quotes a plain name as is', () => {
    expect(attachmentDisposition('file_12.pdf')).toBe('attachment; filename="file_12.pdf"');
  });

  it('gives other names an ASCII stand-in and the real name in filename*', () => {
    expect(attachmentDisposition('Отчёт (май).pdf')).toBe(
      `attachment; filename="_____ (___).pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%28%D0%BC%D0%B0%D0%B9%29.pdf`,
    );
  });

  it('cannot be used to break the header', () => {
    const header = attachmentDisposition('a"b\\c\r\nX-Injected: 1.txt');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.startsWith('attachment; filename="a_b_cX-Injected: 1.txt"; filename*=')).toBe(true);
    expect(attachmentDisposition('  ')).toBe('attachment; filename="file"');
  });
});

import { describe, expect, it } from 'vitest';
import { contentTypeFromName, essence, extensionForType, extensionOf, isPhotoType } from '../../lib/files/content-type.js';

describe('content types', () => {
  it('guesses from the extension, case-insensitively, and knows when it cannot', () => {
    expect(contentTypeFromName('photos/file_12.JPG')).toBe('image/jpeg');
    expect(contentTypeFromName('documents/file_3.pdf')).toBe('application/pdf');
    expect(contentTypeFromName('Отчёт за май.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeFromName('documents/file_4.xyz')).toBeUndefined();
    expect(contentTypeFromName('README')).toBeUndefined();
    expect(extensionOf('.bashrc')).toBeUndefined();
    expect(extensionOf('dir.d/name')).toBeUndefined();
    expect(extensionOf('a.tar.gz')).toBe('gz');
  });

  it('knows the paths Telegram gives voice messages, round videos, animations and music', () => {
    expect(['voice/file_5.oga', 'voice/file_9.opus', 'video_notes/file_6.mp4', 'animations/file_7.mp4', 'music/file_8.mp3', 'videos/file_2.MOV', 'documents/logs.tar.gz'].map(contentTypeFromName)).toEqual([
      'audio/ogg', 'audio/ogg', 'video/mp4', 'video/mp4', 'audio/mpeg', 'video/quicktime', 'application/gzip',
    ]);
  });

  it('reduces a header to its essence and picks the photo types', () => {
    expect(essence('Image/JPEG; charset=binary')).toBe('image/jpeg');
    expect(essence('not a type')).toBeUndefined();
    expect(essence(null)).toBeUndefined();
    expect(['image/jpeg', 'image/png', 'IMAGE/WEBP', 'image/gif', 'image/heic', 'application/pdf', undefined].map(isPhotoType)).toEqual([
      true, true, true, false, false, false, false,
    ]);
    expect(extensionForType('image/jpeg')).toBe('jpg');
    expect(extensionForType('application/x-unknown')).toBeUndefined();
  });
});

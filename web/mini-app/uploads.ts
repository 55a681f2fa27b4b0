// Files picked in the page go up one by one as soon as they are picked, so Confirm and Send only
// carry their tokens. Photos larger than a phone needs are shrunk first: a function takes at most
// 4.5 MB per call, and a 12-megapixel photo is more than that.
import { ApiError, type Api, type Uploaded } from './api.js';

export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
const SHRINK_ABOVE_BYTES = 1.5 * 1024 * 1024;
const MAX_SIDE = 2560;

export interface PickedFile {
  readonly id: string;
  readonly name: string;
  readonly state: 'uploading' | 'done' | 'failed' | 'too-big';
  readonly uploaded?: Uploaded;
  /** What went wrong, by code (`chat_unavailable`, …). */
  readonly problem?: string;
}

export async function uploadPicked(api: Api, file: File): Promise<Pick<PickedFile, 'state' | 'uploaded' | 'problem'>> {
  const prepared = await shrinkPhoto(file);
  if (prepared.size > MAX_UPLOAD_BYTES) return { state: 'too-big' };
  try {
    return { state: 'done', uploaded: await api.upload(prepared, file.name) };
  } catch (error) {
    return { state: 'failed', problem: error instanceof ApiError ? error.code : 'unknown' };
  }
}

async function shrinkPhoto(file: File): Promise<Blob> {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size <= SHRINK_ABOVE_BYTES) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file;
  }
}

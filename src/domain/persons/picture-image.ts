import type { Metadata } from 'sharp';
import { invalid } from '../errors.js';

/** The largest picture file accepted, in bytes (10 MiB). */
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;
/** Decoding a huge image costs memory in proportion to its pixels, whatever its file size; 40 megapixels is ample. */
const MAX_PICTURE_PIXELS = 40_000_000;
/** Pipedrive's rule: the picture, or its crop area, is at least 128 pixels on each side. */
const MIN_SIDE = 128;
/** Pipedrive accepts GIF, JPEG and PNG, recognised by their content, never by the file name. */
const ACCEPTED_FORMATS = new Set(['gif', 'jpeg', 'png']);
export const PICTURE_SIZES = [128, 512] as const;
export type PictureSize = (typeof PICTURE_SIZES)[number];

export interface CropArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PictureSquares {
  image128: Buffer;
  image512: Buffer;
}

const CROP_FIELDS = ['crop_x', 'crop_y', 'crop_width', 'crop_height'] as const;

/** Reads the crop form fields: all four or none, whole numbers of pixels. */
export function cropFromFields(fields: Readonly<Record<string, string>>): CropArea | undefined {
  const given = CROP_FIELDS.filter((name) => fields[name] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < CROP_FIELDS.length) throw invalid('crop_x, crop_y, crop_width and crop_height must be sent together');
  const [x, y, width, height] = CROP_FIELDS.map((name) => {
    const text = fields[name].trim();
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw invalid(`${name} must be a whole number of pixels; got "${fields[name]}"`);
    return Number(text);
  });
  if (width === 0 || height === 0) throw invalid('crop_width and crop_height must be at least 1');
  return { x, y, width, height };
}

/**
 * Turns an uploaded image into the two JPEG squares Pipedrive serves (128 and 512 pixels): orients it by its EXIF
 * data, cuts out the crop area (or the centred square), and scales. A crop area that is not square is centred to a
 * square, and transparency becomes white. Anything that does not decode as a GIF, JPEG or PNG is refused.
 */
export async function pictureSquares(file: Buffer, crop: CropArea | undefined): Promise<PictureSquares> {
  const options = { limitInputPixels: MAX_PICTURE_PIXELS, failOn: 'error' as const };
  // Loaded on the first picture: sharp's native library costs about 0.1 s of every start otherwise.
  const { default: sharp } = await import('sharp');
  let metadata: Metadata;
  try {
    metadata = await sharp(file, options).metadata();
  } catch {
    throw invalid('file is not an image', 'Send a GIF, JPEG or PNG picture.');
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
    throw invalid(`file is a ${metadata.format ?? 'unknown'} image; only GIF, JPEG and PNG pictures are accepted`);
  }
  if (!metadata.width || !metadata.height) throw invalid('file is not an image', 'Send a GIF, JPEG or PNG picture.');
  if (metadata.width * metadata.height > MAX_PICTURE_PIXELS) {
    throw invalid(`the picture has ${metadata.width}×${metadata.height} pixels; at most ${MAX_PICTURE_PIXELS} pixels are accepted`);
  }
  // EXIF orientations 5–8 turn the image by 90°, so the crop area refers to swapped sides.
  const rotated = (metadata.orientation ?? 1) >= 5;
  const width = rotated ? metadata.height : metadata.width;
  const height = rotated ? metadata.width : metadata.height;
  const area = crop ?? centredSquare(width, height);
  if (area.x + area.width > width || area.y + area.height > height) {
    throw invalid(`the crop area (${area.x},${area.y} ${area.width}×${area.height}) reaches outside the ${width}×${height} picture`);
  }
  if (Math.min(area.width, area.height) < MIN_SIDE) {
    throw invalid(`the picture${crop ? "'s crop area" : ''} must be at least ${MIN_SIDE}×${MIN_SIDE} pixels; it is ${area.width}×${area.height}`);
  }
  const square = sharp(file, options).rotate().extract({ left: area.x, top: area.y, width: area.width, height: area.height });
  const render = (size: number) =>
    square.clone().resize(size, size, { fit: 'cover' }).flatten({ background: '#ffffff' }).jpeg({ quality: 85, mozjpeg: true }).toBuffer();
  try {
    const [image128, image512] = await Promise.all([render(128), render(512)]);
    return { image128, image512 };
  } catch {
    throw invalid('file could not be read as an image', 'The picture seems damaged; send a GIF, JPEG or PNG picture.');
  }
}

function centredSquare(width: number, height: number): CropArea {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), width: side, height: side };
}

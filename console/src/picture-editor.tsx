import { useEffect, useState } from 'preact/hooks';
import { ApiError, csrfToken } from './api.ts';

interface Crop {
  /** The square's side as a share of the image's shorter side (0.1–1). */
  size: number;
  /** Where the square sits in the room left beside and below it (0–1 each). */
  x: number;
  y: number;
}

/** The square in the image's own pixels, as POST /v1/persons/{id}/picture takes it. */
function cropPixels(crop: Crop, width: number, height: number) {
  const side = Math.max(1, Math.round(Math.min(width, height) * crop.size));
  return { crop_x: Math.round((width - side) * crop.x), crop_y: Math.round((height - side) * crop.y), crop_width: side, crop_height: side };
}

/**
 * The person's picture: the stored one (served by personsd, the session's cookie authenticates it), and a new one
 * chosen from a file and cropped to a square with three sliders before it is uploaded.
 */
export function PictureEditor({ personId, hasPicture, onChanged }: { personId: number; hasPicture: boolean; onChanged: () => void }) {
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<{ url: string; width: number; height: number }>();
  const [crop, setCrop] = useState<Crop>({ size: 1, x: 0.5, y: 0.5 });
  const [error, setError] = useState('');
  const [stamp, setStamp] = useState(Date.now());

  useEffect(() => {
    if (!file) return setPreview(undefined);
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => setPreview({ url, width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = () => setError('That file is not an image the browser can show.');
    image.src = url;
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = async () => {
    if (!file || !preview) return;
    const form = new FormData();
    form.append('file', file);
    for (const [key, value] of Object.entries(cropPixels(crop, preview.width, preview.height))) form.append(key, String(value));
    const response = await fetch(`/v1/persons/${personId}/picture`, { method: 'POST', body: form, headers: { 'x-csrf-token': csrfToken() }, credentials: 'same-origin' });
    const json = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) return setError(json.error ?? `HTTP ${response.status}`);
    setFile(undefined);
    setError('');
    setStamp(Date.now());
    onChanged();
  };

  const box = preview && cropPixels(crop, preview.width, preview.height);
  const slider = (key: keyof Crop, label: string, min: number) => (
    <label>
      {label}
      <input type="range" min={min} max={1} step={0.01} value={crop[key]} onInput={(e) => setCrop({ ...crop, [key]: Number((e.target as HTMLInputElement).value) })} />
    </label>
  );
  return (
    <div class="picture">
      {hasPicture ? <img class="avatar" src={`/api/v2/persons/${personId}/picture/128?v=${stamp}`} alt="Picture" width={128} height={128} /> : <p>No picture.</p>}
      <label>
        New picture
        <input type="file" accept="image/jpeg,image/png,image/gif" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} />
      </label>
      {preview && box && (
        <div class="crop" role="group" aria-label="Crop">
          <div class="crop-stage" style={{ aspectRatio: `${preview.width} / ${preview.height}` }}>
            <img src={preview.url} alt="Chosen picture" />
            <div
              class="crop-box"
              aria-hidden="true"
              style={{
                left: `${(box.crop_x / preview.width) * 100}%`,
                top: `${(box.crop_y / preview.height) * 100}%`,
                width: `${(box.crop_width / preview.width) * 100}%`,
                height: `${(box.crop_height / preview.height) * 100}%`,
              }}
            />
          </div>
          {slider('size', 'Size', 0.1)}
          {slider('x', 'Left to right', 0)}
          {slider('y', 'Top to bottom', 0)}
          <button type="button" onClick={() => upload().catch((caught) => setError(caught instanceof ApiError ? caught.message : String(caught)))}>Upload picture</button>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

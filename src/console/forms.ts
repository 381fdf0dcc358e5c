import type { ComponentChoice } from '../services/subscribers.ts';

/** Reads the component picker (src/components/ComponentPicker.astro) from a submitted form. */
export function choiceFromForm(form: FormData): ComponentChoice {
  if (form.get('scope') !== 'some') return { all: true };
  return { all: false, componentIds: form.getAll('component').map(String).slice(0, 500) };
}

/** Form posts are small; anything larger is not from our pages. */
export async function readSmallForm(request: Request): Promise<FormData | null> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > 16 * 1024) return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

// Reading text fields of a submitted form: FormData.get may also give a File or null, which are not text.

export function formText(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}

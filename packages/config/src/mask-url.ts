/** A URL safe to print: any password is replaced by `***`. Unparseable input is returned as `<invalid url>`. */
export function maskUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid url>';
  }
}

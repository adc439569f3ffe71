/** Saves text as a file through a temporary <a download> (no downloads permission needed). */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: Chrome reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function exportFilename(ext: 'json' | 'md', now = new Date()): string {
  return `calicolobster-${now.toISOString().slice(0, 10)}.${ext}`;
}

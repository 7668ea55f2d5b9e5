/** A folder name from a scenario name (for the default reports/<name>/ of every command that writes one). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

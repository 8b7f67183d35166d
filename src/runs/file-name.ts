/** File names for exports. Pure. */

/** A file name stem from a run name, without characters that file systems or URLs object to. */
export function safeBaseName(name: string): string {
  const stem = name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80).replace(/[-.]+$/, '');
  return stem || 'model';
}

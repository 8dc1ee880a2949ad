/** Timestamps arrive as Date from pg rows and as ISO text from row_to_json. */
export function toDate(v: Date | string): Date;
export function toDate(v: Date | string | null | undefined): Date | null;
export function toDate(v: Date | string | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(v);
}

// RFC 4180: fields separated by commas, lines ended by CRLF, a field with a comma, quote or line
// break in double quotes (quotes doubled).
//
// A cell a spreadsheet would read as a formula (= + - @, or a tab or carriage return before one)
// gets a leading apostrophe: text typed by anyone with a console login must not run as a formula
// on the machine of whoever opens the export (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

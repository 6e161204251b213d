/**
 * The report pages' print button (a script, so an island: the pages allow no inline script).
 *
 * @module
 */

/** A button that opens the browser's print dialog. */
export function PrintButton() {
  return <button type="button" class="print-button" onClick={() => globalThis.print()}>打印</button>;
}

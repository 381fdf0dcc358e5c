/** Fills a template's {{components}} with the names of the affected components. */
export function fillTemplate(text: string, componentNames: readonly string[]): string {
  const names =
    componentNames.length === 0
      ? 'our services'
      : componentNames.length === 1
        ? (componentNames[0] ?? '')
        : `${componentNames.slice(0, -1).join(', ')} and ${componentNames.at(-1)}`;
  return text.replaceAll('{{components}}', names);
}

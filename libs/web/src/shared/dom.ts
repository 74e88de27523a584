type Child = Node | string | false | undefined | null;
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** An element with attributes (`on<event>` adds a listener; false or undefined leaves one out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== false && child !== undefined && child !== null) element.append(child);
  return element;
}

/** The element with this id, of the expected type; a missing one is a bug in the page. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Shows a failure where the user is looking (a role=alert element); empty text clears it. */
export function say(where: string, text: string): void {
  byId(where).textContent = text;
}

/** Runs a form's action on submit, showing its failure in `errors`, with the submit button disabled meanwhile. */
export function onSubmit(form: string, errors: string, action: (form: HTMLFormElement, submitter: HTMLButtonElement | null) => Promise<void>): void {
  const element = byId<HTMLFormElement>(form);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const buttons = [...element.querySelectorAll('button')];
    for (const b of buttons) b.disabled = true;
    say(errors, '');
    action(element, submitter)
      .catch((error: unknown) => say(errors, error instanceof Error ? error.message : String(error)))
      .finally(() => {
        for (const b of buttons) b.disabled = false;
      });
  });
}

/** The value of a form's input, trimmed. */
export function field(id: string): string {
  return byId<HTMLInputElement>(id).value.trim();
}

export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

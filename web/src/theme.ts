// Light, dark, or whatever the system prefers: kept in localStorage and applied as `data-theme` on <html>.

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'exhunt.theme';

export function storedTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
let current: ThemeChoice = 'system';

/** `data-theme` always says light or dark, so the stylesheet holds each palette once; `system` follows the OS. */
function paint(): void {
  const resolved = current === 'system' ? (systemDark.matches ? 'dark' : 'light') : current;
  document.documentElement.dataset.theme = resolved;
}
systemDark.addEventListener('change', paint);

export function applyTheme(choice: ThemeChoice): void {
  current = choice;
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  paint();
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system';
}

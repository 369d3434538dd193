// Light, dark, or whatever the system prefers: kept in localStorage and applied as `data-theme` on <html>.

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'exhunt.theme';

export function storedTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** `system` removes the attribute, so the stylesheet's prefers-color-scheme rule decides. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset.theme = choice;
  }
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system';
}

// The tab's title per page: a responder with ten tabs open finds the right one.

import { useEffect } from 'react';

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · exhunt`;
  }, [title]);
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.js';
import type { WebApp } from './telegram.js';
import type { Lang, Messages } from './text.js';

/** The primary action of a screen: Telegram's MainButton inside Telegram, a button at the bottom elsewhere. */
export interface MainAction {
  readonly text: string;
  readonly onClick: () => void;
  readonly disabled?: boolean;
  readonly progress?: boolean;
}

export type Screen =
  | { readonly kind: 'list' }
  | { readonly kind: 'request'; readonly id: string; readonly notice?: string }
  | { readonly kind: 'new' };

export interface AppContextValue {
  readonly api: Api;
  readonly t: Messages;
  readonly lang: Lang;
  readonly webApp: WebApp | undefined;
  readonly startParam: string | undefined;
  /** Shows a screen on top; Back (Telegram's or the page's) returns. */
  push(screen: Screen): void;
  /** Replaces the whole stack, e.g. after a new request: My requests under its details. */
  reset(screens: readonly Screen[]): void;
  setMain(action: MainAction | undefined): void;
  /** The API said the launch data is not (or no longer) valid. */
  unauthorized(code: string): void;
  haptic(kind: 'success' | 'error' | 'warning' | 'tap' | 'select'): void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}

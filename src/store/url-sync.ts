/**
 * Keeps the address bar and localStorage following the spec, one way: after boot the store is
 * the source of truth, edits are written (debounced) with history.replaceState, and what we
 * wrote is never read back. Only a `hashchange` (a person pasting a link into the open tab) is
 * read, and it goes through `setSpec` like any edit (so it can be undone). Run state is never
 * written. Browser objects are injected so all of this runs in Node tests.
 */
import type { NetworkSpec } from '../model/spec';
import { DEFAULT_PRESET_ID, getPreset } from '../model/presets';
import { parseSpec } from '../model/validate';
import { decodeHash, specHash } from './url-state';
import { loadSavedSpec, specSaver, type NoteFn, type SpecStorage } from './persist';

/** Quiet time after the last edit before the address bar and storage are written. */
export const WRITE_DELAY_MS = 300;

/** The browser surface the sync uses: `window` pieces in the app, fakes in tests. */
export interface UrlSyncDeps {
  location: { readonly hash: string; readonly href: string };
  history: Pick<History, 'replaceState' | 'state'>;
  storage: SpecStorage | null;
  addEventListener(type: 'hashchange' | 'pagehide', listener: () => void): void;
  removeEventListener(type: 'hashchange' | 'pagehide', listener: () => void): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Shows a sentence to the person (the page's notice). */
  notify: NoteFn;
  /** Leaves a note for developers (the console). */
  note: NoteFn;
}

/** What the sync needs of the store: the spec, a way to replace it, and change events. */
export interface SpecStore {
  getState(): { spec: NetworkSpec; setSpec(spec: NetworkSpec): void };
  subscribe(listener: (state: { spec: NetworkSpec }, previous: { spec: NetworkSpec }) => void): () => void;
}

/** Where the first spec came from. */
export type StartSource = 'link' | 'saved' | 'default';

/** The spec to start with, where it came from, and a sentence to show if a link was refused. */
export interface InitialState {
  spec: NetworkSpec;
  source: StartSource;
  notice: string | null;
}

/** A full share link, or why the current spec cannot be shared. */
export type ShareResult = { ok: true; url: string } | { ok: false; message: string };

/** A running sync. */
export interface UrlSync {
  /** Encodes the current spec, writes it to the address bar and storage now, and returns the full link. */
  shareLink(): Promise<ShareResult>;
  /** Stops listening and drops a pending write. */
  stop(): void;
}

/** Picks the first spec: a valid link in the hash, else the saved work, else the default preset. */
export async function chooseInitialSpec(deps: Pick<UrlSyncDeps, 'location' | 'storage' | 'note'>): Promise<InitialState> {
  const link = await decodeHash(deps.location.hash);
  if (link?.ok) return { spec: link.spec, source: 'link', notice: null };
  const saved = loadSavedSpec(deps.storage, deps.note);
  const kept = saved ? 'Your saved work was kept.' : 'The default network is shown instead.';
  return {
    spec: saved ?? defaultSpec(),
    source: saved ? 'saved' : 'default',
    notice: link && !link.ok ? `${link.message} ${kept}` : null,
  };
}

/**
 * Only specs that `parseSpec` accepts are written: the editor may hold a half-edited, invalid
 * stack, and writing it would leave a link and saved work that the next load must refuse. Until
 * it is valid again, the address bar and storage keep the last valid spec.
 */
const canBeRead = (spec: NetworkSpec): boolean => parseSpec(spec).ok;

const NOT_SHAREABLE = 'Fix the problems marked in the network first: a link must open a network that can train.';

function defaultSpec(): NetworkSpec {
  const spec = getPreset(DEFAULT_PRESET_ID);
  if (!spec) throw new Error(`default preset ${DEFAULT_PRESET_ID} is missing`);
  return spec;
}

/** Starts following the store; `source` says where the first spec came from (see chooseInitialSpec). */
export function startUrlSync(store: SpecStore, deps: UrlSyncDeps, source: StartSource): UrlSync {
  const save = specSaver(deps.storage, deps.notify);
  const pageUrl = (): string => deps.location.href.split('#')[0] ?? '';
  let pending: unknown = null;
  let stopped = false;
  let hashSeq = 0;
  // The spec a hashchange brought in is already in the address bar: saved, but not written back.
  let fromAddressBar: NetworkSpec | null = null;

  const cancelPending = (): boolean => {
    if (pending === null) return false;
    deps.clearTimeout(pending);
    pending = null;
    return true;
  };
  const replaceUrl = (url: string): void => deps.history.replaceState(deps.history.state, '', url);

  const write = async (): Promise<void> => {
    const spec = store.getState().spec;
    if (!canBeRead(spec)) return;
    save(spec);
    if (spec === fromAddressBar) return;
    const hash = await specHash(spec);
    // A newer edit has its own write scheduled; writing this one now would only flicker.
    if (!stopped && store.getState().spec === spec) replaceUrl(pageUrl() + hash);
  };
  const schedule = (): void => {
    cancelPending();
    pending = deps.setTimeout(() => {
      pending = null;
      void write();
    }, WRITE_DELAY_MS);
  };

  const onHashChange = async (): Promise<void> => {
    const seq = ++hashSeq;
    const result = await decodeHash(deps.location.hash);
    // Only the latest pasted link counts; an emptied hash keeps the work as it is.
    if (stopped || seq !== hashSeq || result === null) return;
    if (!result.ok) {
      deps.notify(`${result.message} Your current work was kept.`);
      return;
    }
    fromAddressBar = result.spec;
    store.getState().setSpec(result.spec);
  };
  const onHashChangeEvent = (): void => void onHashChange();

  // Leaving with an unwritten edit: save it now, and drop the older link from the address bar
  // so that a reload reads the saved work instead of that stale link.
  const onPageHide = (): void => {
    const spec = store.getState().spec;
    if (!cancelPending() || !canBeRead(spec)) return;
    save(spec);
    replaceUrl(pageUrl());
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.spec !== previous.spec) schedule();
  });
  deps.addEventListener('hashchange', onHashChangeEvent);
  deps.addEventListener('pagehide', onPageHide);
  // Saved work shows up in the address bar too, so the visible URL always reproduces the page.
  if (source === 'saved') schedule();

  return {
    async shareLink() {
      const spec = store.getState().spec;
      if (!canBeRead(spec)) return { ok: false, message: NOT_SHAREABLE };
      cancelPending();
      save(spec);
      const url = pageUrl() + (await specHash(spec));
      if (!stopped) replaceUrl(url);
      return { ok: true, url };
    },
    stop() {
      stopped = true;
      cancelPending();
      unsubscribe();
      deps.removeEventListener('hashchange', onHashChangeEvent);
      deps.removeEventListener('pagehide', onPageHide);
    },
  };
}

/** The real browser pieces for the sync; `notify` shows a sentence on the page. */
export function browserSyncDeps(notify: NoteFn): UrlSyncDeps {
  return {
    location: window.location,
    history: window.history,
    storage: localStorageOrNull(),
    addEventListener: (type, listener) => window.addEventListener(type, listener),
    removeEventListener: (type, listener) => window.removeEventListener(type, listener),
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    notify,
    note: (message) => console.warn(message),
  };
}

/** `window.localStorage`, or null where reading it throws (sandboxed frames, some privacy modes). */
export function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

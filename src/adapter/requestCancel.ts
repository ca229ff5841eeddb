/**
 * What a DAP cancel aborts for one request: an AbortController made only when
 * something asks for it (the handler reads its signal, or a cancel names the
 * request or its progress). Most requests never do, and building an
 * AbortController and its signal (an EventTarget) on every request was a
 * measurable part of a small request's cost in a fresh adapter.
 */
export class RequestCancel {
  private controller: AbortController | undefined;

  /** The request's signal; aborted already when a cancel came first. */
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  /** A cancel for this request: its signal is aborted now, or made aborted if read later. */
  abort(): void {
    this.controller ??= new AbortController();
    this.controller.abort();
  }
}

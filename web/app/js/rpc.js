// The page's side of the store worker (store-worker.js): `call(op, args, transfer)` sends
// { id, op, args } and resolves with the result or rejects with an Error carrying the core's
// error `kind`. Messages are answered in order.

export class StoreClient {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.onFailure = () => {};
    this.worker.addEventListener('message', ({ data: { id, result, error } }) => {
      const call = this.pending.get(id);
      this.pending.delete(id);
      if (error) call?.reject(Object.assign(new Error(error.message), { kind: error.kind }));
      else call?.resolve(result);
    });
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.onFailure({ kind: 'StoreFailure', message: event.message ?? 'the store worker failed' });
    });
  }

  /** Runs `op` in the worker; `transfer`: buffers handed over (gone from this thread). */
  call(op, args = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args }, transfer);
    });
  }
}

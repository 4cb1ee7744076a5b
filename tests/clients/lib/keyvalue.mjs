// A minimal wasi:keyvalue/store@0.2.0-draft for jco: one in-memory bucket
// under the default identifier "", as the stock wasmtime CLI's `-S keyvalue`
// lends it. preview2-shim has no key-value support, and the component imports
// the interface to keep its account beyond one instance; a runtime without
// state may answer `no-such-store`, which the component takes as "read Dex".

/** The `wasi:keyvalue/store` import object, its values shared by every bucket opened from it. */
export function keyValueStore() {
  const values = new Map();

  class Bucket {
    get(key) {
      const value = values.get(key);
      return value === undefined ? undefined : new Uint8Array(value);
    }

    set(key, value) {
      values.set(key, new Uint8Array(value));
    }

    delete(key) {
      values.delete(key);
    }

    exists(key) {
      return values.has(key);
    }

    listKeys(cursor) {
      const keys = [...values.keys()];
      return { keys: keys.slice(Number(cursor ?? 0n)), cursor: undefined };
    }
  }

  function open(identifier) {
    if (identifier !== '') {
      throw { tag: 'no-such-store' };
    }
    return new Bucket();
  }

  return { store: { open, Bucket }, values };
}

// Tests only: Node's WebCrypto under jsdom. Vitest's jsdom globals give ArrayBuffer from
// jsdom's realm, which Node's SubtleCrypto refuses by instanceof; a view over the same
// memory passes. Real keys and signatures, only the argument's wrapper changes.

function view(a: unknown): unknown {
  return a !== null && typeof a === 'object' && Object.prototype.toString.call(a) === '[object ArrayBuffer]' ? new Uint8Array(a as ArrayBuffer) : a;
}

/** jsdomCrypto is globalThis.crypto with every ArrayBuffer argument passed as a Uint8Array. */
export function jsdomCrypto(): Crypto {
  const real = globalThis.crypto;
  const subtle = new Proxy(real.subtle, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (...args: unknown[]) => (v as (...a: unknown[]) => unknown).apply(target, args.map(view)) : v;
    },
  });
  return {
    subtle,
    getRandomValues: real.getRandomValues.bind(real),
    randomUUID: () => real.randomUUID(),
  } as Crypto;
}

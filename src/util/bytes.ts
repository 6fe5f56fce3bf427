export const GIB = 1024 ** 3;

/** 8321499136 → "7.7 GiB". */
export const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/** 8388608 → "8.0 MiB", 512 → "512 bytes". */
export const mib = (bytes: number) => (bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);

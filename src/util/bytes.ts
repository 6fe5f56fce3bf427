export const GIB = 1024 ** 3;

/** 8321499136 → "7.7 GiB". */
export const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

// The writer: the only place generated files reach the disk.
// Synchronous calls behind asynchronous signatures, as in ./fs.ts: cheaper for a short-lived CLI.
import { crypto } from "../util/lazy-crypto.js";
import { createReadStream, chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { path } from "../util/path.js";

export async function readText(file: string): Promise<string | null> {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export async function fileMode(file: string): Promise<number | null> {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return null;
  }
}

/** Write to a temporary file in the same folder, then rename over the target: readers see the
 * old file or the new one, never half of one. */
export async function writeAtomic(file: string, contents: string | Uint8Array, mode: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto().randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, contents, { mode, flush: true });
    chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temporary file was never created.
    }
    throw error;
  }
}

/** Creates a file that must not exist yet: a user's file is never replaced (EEXIST instead). */
export async function writeNew(file: string, contents: string, mode: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, contents, { mode, flag: "wx" });
}

/** The SHA-256 and size of a file of any size, read as a stream (a dump can be gigabytes). */
export function sha256OfFile(file: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = crypto().createHash("sha256");
    let bytes = 0;
    createReadStream(file)
      .on("data", (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on("error", reject)
      .on("end", () => resolve({ sha256: hash.digest("hex"), bytes }));
  });
}

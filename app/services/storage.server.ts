// Where uploaded files live (ADR 0030): a small adapter with three verbs, put, get and delete, by
// key. Keys are Nearhub's own (random, from newStorageKey), never a name a person typed, so no
// upload can choose where it lands. The default adapter is a local folder, NEARHUB_STORAGE_DIR
// (default `storage/` under the working directory); one that keeps files elsewhere (an object
// store, for several app machines) implements the same interface.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "~/env.server";

export interface FileStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under the key, or null when there are none. */
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Removes the key's bytes; a key with none is not an error. */
  delete(key: string): Promise<void>;
}

/** Lower-case words and digits with dashes, in segments separated by `/`: never `..`, never absolute. */
const KEY = /^[a-z0-9][a-z0-9-]{0,63}(\/[a-z0-9][a-z0-9-]{0,63}){0,4}$/;

export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`storage: ${JSON.stringify(key.slice(0, 80))} is not a storage key`);
}

/** A fresh random key under `prefix` ("permit-documents/3f9c…"). */
export function newStorageKey(prefix: string): string {
  const key = `${prefix}/${randomBytes(16).toString("hex")}`;
  assertStorageKey(key);
  return key;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === "ENOENT";

/** Files in a folder, one per key; written to a temporary name and renamed, so a reader never sees half a file. */
export function localFolderStorage(root: string): FileStorage {
  const where = (key: string) => {
    assertStorageKey(key);
    return path.join(root, ...key.split("/"));
  };
  return {
    async put(key, bytes) {
      const file = where(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temp, bytes, { flag: "wx" });
      await rename(temp, file);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(where(key)));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(where(key), { force: true });
    },
  };
}

let shared: { root: string; storage: FileStorage } | undefined;

/** The process's storage: the local folder NEARHUB_STORAGE_DIR names. */
export function storage(): FileStorage {
  const root = env().storageDir;
  if (shared?.root !== root) shared = { root, storage: localFolderStorage(root) };
  return shared.storage;
}

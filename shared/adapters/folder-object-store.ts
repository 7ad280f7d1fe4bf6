import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { InvalidInputError } from '../domain/errors.js';
import type { ObjectStore } from '../ports/index.js';

/** Text objects as files under a folder: the local stand-in for S3 that research results go to. */
export class FolderObjectStore implements ObjectStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  /** Where a key lives on disk, for the CLIs' "wrote …" lines. */
  pathOf(key: string): string {
    const path = resolve(join(this.#root, key));
    // A key is a relative name: `../x` must not write outside the folder
    if (path !== this.#root && !path.startsWith(this.#root + sep)) {
      throw new InvalidInputError(`object key ${key} leaves ${this.#root}`);
    }
    return path;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
}

// The words of input errors, shared by the folder walk, the reader and standard input.

/** One short phrase for a file-system error; `whileReading` for a file that was there when the walk found it. */
export function describeFsError(e: unknown, whileReading = false): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return whileReading ? 'no such file (it vanished while reading)' : 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'symlink loop';
    case 'ENAMETOOLONG':
      return 'path too long';
    default:
      return err.message;
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

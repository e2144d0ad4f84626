import { readFileSync } from 'node:fs';
import { parseProject, type Project } from '../../shared/project/load-project.js';

export class ProjectFileError extends Error {}

/** Reads and validates a project file; every failure names the file and what is wrong in it. */
export function loadProjectFile(path: string): Project {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
    throw new ProjectFileError(`cannot read project file ${path}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProjectFileError(`project file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = parseProject(json);
  if (!result.ok) {
    throw new ProjectFileError(`project file ${path} is invalid:\n  ${result.errors.join('\n  ')}`);
  }
  return result.project;
}

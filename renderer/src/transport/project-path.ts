/** `/api/projects/<id>`, the prefix of every project endpoint. */
export const projectPath = (projectId: string): string => `/api/projects/${encodeURIComponent(projectId)}`;

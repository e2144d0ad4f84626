import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { RecipesResponse } from '../../../../shared/protocol/api.js';
import { useGate } from '../../stores/auth-store.js';
import { useProject, type ProjectState } from '../../stores/project-store.js';
import { projectPath } from '../../transport/project-path.js';
import { newRequestId } from '../../transport/request-id.js';
import { sendCommand } from '../../transport/send-command.js';
import { formatDateTime, formatValue } from '../common/format.js';
import { usePolledJson } from '../common/use-polled-json.js';
import { editedValues, recipeLines } from './recipe-compare.js';

const selectProject = (s: ProjectState) => ({ projectId: s.projectId, tags: s.tags, values: s.values });
/** Recipes are re-read this often while the view is open, so an edit on another station shows up. */
const REFRESH_MS = 3_000;

type Question = 'download' | 'upload' | null;

/**
 * Recipes: each recipe's values beside the live values (differences marked), edited into a new
 * version, uploaded from the plant, or downloaded to it through the Server. Uploads and downloads ask
 * first; every change is a CEL entry with the user.
 */
export function RecipesView() {
  const gate = useGate('engineer');
  const { projectId, tags, values } = useProject(useShallow(selectProject));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [question, setQuestion] = useState<Question>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const polled = usePolledJson(projectId === null ? null : `${projectPath(projectId)}/recipes`, RecipesResponse, REFRESH_MS);
  const recipes = polled.data?.recipes ?? null;
  const { error: loadError, reload: load } = polled;

  const recipe = recipes?.find((r) => r.id === selectedId) ?? recipes?.[0] ?? null;
  const lines = useMemo(() => (recipe ? recipeLines(recipe, edits, values) : []), [recipe, edits, values]);
  const edited = lines.some((line) => line.edited !== null);
  const differing = lines.filter((line) => line.differs).length;

  const select = (id: string) => {
    setSelectedId(id);
    setEdits({});
    setQuestion(null);
    setMessage(null);
  };

  const run = async (what: string, path: string, body: object, done: (reply: Awaited<ReturnType<typeof sendCommand>>) => string) => {
    if (!projectId || !recipe) return;
    setBusy(true);
    const reply = await sendCommand(what, `${projectPath(projectId)}/recipes/${encodeURIComponent(recipe.id)}${path}`, { requestId: newRequestId(), ...body });
    setBusy(false);
    setQuestion(null);
    if (reply) {
      setMessage(done(reply));
      setEdits({});
    }
    await load();
  };

  const save = () => {
    const result = editedValues(lines);
    if ('error' in result) return setMessage(result.error);
    void run(`Saving recipe ${recipe?.name}`, '', { baseVersion: recipe?.version, values: result.values }, () => `Saved as version ${(recipe?.version ?? 0) + 1}.`);
  };
  const upload = () => void run(`Uploading recipe ${recipe?.name}`, '/upload', { baseVersion: recipe?.version }, () => `Uploaded from the plant as version ${(recipe?.version ?? 0) + 1}.`);
  const download = () =>
    void run(`Downloading recipe ${recipe?.name}`, '/download', { version: recipe?.version }, (reply) => {
      const failed = (reply?.writes ?? []).filter((w) => !w.ok);
      if (failed.length === 0) return `Downloaded version ${recipe?.version}: ${reply?.writes?.length ?? 0} values written.`;
      return `Downloaded with ${failed.length} failed: ${failed.map((w) => `${w.tag}: ${w.error ?? 'refused'}`).join('; ')}`;
    });

  return (
    <section className="view recipes" aria-label="Recipes">
      <div className="toolbar">
        {(recipes ?? []).map((r) => (
          <button key={r.id} type="button" className={r.id === recipe?.id ? 'active' : ''} aria-pressed={r.id === recipe?.id} data-testid="recipe-tab" onClick={() => select(r.id)}>
            {r.name}
          </button>
        ))}
        {recipes?.length === 0 ? <span className="muted">This project defines no recipes.</span> : null}
        {loadError ? <span className="muted">Could not load recipes: {loadError}</span> : null}
      </div>
      {recipe ? (
        <div className="panel recipe-panel" data-testid="recipe-panel" data-recipe={recipe.id}>
          <p className="muted" data-testid="recipe-version">
            {recipe.description ? `${recipe.description} · ` : ''}Version {recipe.version}
            {recipe.user ? `, saved by ${recipe.user} at ${formatDateTime(recipe.t)}` : ' (the project file’s values)'} · {differing === 0 ? 'the plant runs these values' : `${differing} of ${lines.length} values differ from the plant`}
          </p>
          <table className="grid-table recipe-table">
            <thead>
              <tr>
                <th>Tag</th>
                <th>Description</th>
                <th className="right">Recipe value</th>
                <th className="right">Live value</th>
                <th>Compared</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => {
                const tag = tags.get(line.tag);
                return (
                  <tr key={line.tag} data-testid="recipe-line" data-tag={line.tag} className={line.differs ? 'differs' : ''}>
                    <td>{line.tag}</td>
                    <td>{tag?.description ?? ''}</td>
                    <td className="right">
                      <input
                        className="num right"
                        aria-label={`Recipe value of ${line.tag}`}
                        data-testid="recipe-value"
                        inputMode="decimal"
                        value={line.edited ?? String(line.recipe)}
                        onChange={(event) => setEdits((e) => ({ ...e, [line.tag]: event.target.value }))}
                      />
                      {tag?.unit ? ` ${tag.unit}` : ''}
                    </td>
                    <td className="right num" data-testid="recipe-live">{formatValue(line.live?.v ?? null, tag?.type ?? 'number', tag?.unit)}</td>
                    <td data-testid="recipe-compared">{line.live === null ? 'no live value' : line.differs ? 'differs' : 'same'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="recipe-actions">
            <button type="button" data-testid="recipe-save" disabled={!edited || busy || gate.disabled} title={gate.why ?? undefined} onClick={save}>
              Save as version {recipe.version + 1}
            </button>
            <button type="button" data-testid="recipe-cancel-edit" disabled={!edited || busy} onClick={() => setEdits({})}>
              Discard changes
            </button>
            <button type="button" data-testid="recipe-upload" disabled={busy || edited || gate.disabled} title={gate.why ?? undefined} onClick={() => setQuestion('upload')}>
              Upload from plant…
            </button>
            <button type="button" data-testid="recipe-download" disabled={busy || edited || gate.disabled} title={gate.why ?? undefined} onClick={() => setQuestion('download')}>
              Download to plant…
            </button>
          </div>
          {question ? (
            <form
              className="inline-panel"
              data-testid="recipe-question"
              onSubmit={(event) => {
                event.preventDefault();
                if (question === 'download') download();
                else upload();
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape') setQuestion(null);
              }}
            >
              <span>
                {question === 'download'
                  ? `Write version ${recipe.version} of "${recipe.name}" to the plant? ${lines.map((l) => `${l.tag} = ${formatValue(l.recipe, tags.get(l.tag)?.type ?? 'number', tags.get(l.tag)?.unit)}`).join(', ')}.`
                  : `Replace the values of "${recipe.name}" with the live values of the plant (version ${recipe.version + 1})?`}
              </span>
              <button type="submit" data-testid="recipe-confirm" disabled={busy} autoFocus>
                {busy ? 'Working…' : question === 'download' ? 'Download' : 'Upload'}
              </button>
              <button type="button" disabled={busy} onClick={() => setQuestion(null)}>
                Cancel
              </button>
            </form>
          ) : null}
          {message ? <p role="status" data-testid="recipe-message">{message}</p> : null}
        </div>
      ) : null}
    </section>
  );
}

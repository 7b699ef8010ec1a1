/** Storage type of a column, as exported and validated on import. */
export type ColumnType = 'text' | 'integer' | 'real' | 'bool' | 'json';

/** One column of a store table. */
export interface ColumnSpec {
  /** Column name (snake_case, as in SQL and exports). */
  name: string;
  /** How the value is stored and exported. */
  type: ColumnType;
  /** Whether null is allowed. */
  nullable: boolean;
}

/** One exportable table of the store. */
export interface TableSpec {
  /** Table name. */
  name: string;
  /** Columns in export order. */
  columns: ColumnSpec[];
  /** Primary-key columns (rows with the same key replace each other on import). */
  primaryKey: string[];
}

function col(name: string, type: ColumnType, nullable = false): ColumnSpec {
  return { name, type, nullable };
}

/** Every table of the current schema, in dependency order (for import and export). */
export const TABLES: readonly TableSpec[] = [
  {
    name: 'runs',
    primaryKey: ['id'],
    columns: [
      col('id', 'text'),
      col('kind', 'text'),
      col('created_at', 'text'),
      col('status', 'text'),
      col('seed', 'integer', true),
      col('config', 'json'),
      col('note', 'text', true),
    ],
  },
  {
    name: 'tasks',
    primaryKey: ['id'],
    columns: [
      col('id', 'text'),
      col('suite', 'text'),
      col('title', 'text', true),
      col('repo', 'text', true),
      col('base_commit', 'text', true),
      col('statement', 'text'),
      col('tests', 'json'),
      col('features', 'json'),
      col('metadata', 'json'),
    ],
  },
  {
    name: 'workers',
    primaryKey: ['id'],
    columns: [
      col('id', 'text'),
      col('model', 'text'),
      col('provider', 'text'),
      col('pricing', 'json'),
      col('scaffold', 'json'),
      col('environment', 'json'),
      col('persona', 'text', true),
    ],
  },
  {
    name: 'jobs',
    primaryKey: ['key'],
    columns: [
      col('key', 'text'),
      col('run_id', 'text'),
      col('kind', 'text'),
      col('status', 'text'),
      col('payload', 'json', true),
      col('result', 'json', true),
      col('cost_usd', 'real', true),
      col('error', 'text', true),
      col('tries', 'integer'),
      col('started_at', 'text'),
      col('ended_at', 'text', true),
    ],
  },
  {
    name: 'forecasts',
    primaryKey: ['job_key'],
    columns: [
      col('job_key', 'text'),
      col('run_id', 'text'),
      col('task_id', 'text'),
      col('worker_id', 'text'),
      col('treatment', 'text'),
      col('repeat', 'integer'),
      col('p_success', 'real', true),
      col('expected_tokens', 'real', true),
      col('ask', 'real', true),
      col('valid', 'bool'),
      col('invalid_reason', 'text', true),
      col('raw_text', 'text', true),
      col('rationale', 'text', true),
      col('input_tokens', 'integer', true),
      col('output_tokens', 'integer', true),
      col('cached_tokens', 'integer', true),
      col('cost_usd', 'real', true),
      col('request', 'json', true),
      col('response', 'json', true),
      col('created_at', 'text'),
      col('menu', 'json', true),
    ],
  },
  {
    name: 'attempts',
    primaryKey: ['job_key'],
    columns: [
      col('job_key', 'text'),
      col('run_id', 'text'),
      col('task_id', 'text'),
      col('worker_id', 'text'),
      col('round', 'integer'),
      col('resolved', 'bool'),
      col('input_tokens', 'integer'),
      col('output_tokens', 'integer'),
      col('cached_tokens', 'integer'),
      col('cost_usd', 'real'),
      col('wall_time_ms', 'real'),
      col('trajectory_ref', 'text', true),
      col('exit_reason', 'text', true),
      col('trajectory', 'json', true),
      col('created_at', 'text'),
    ],
  },
  {
    name: 'allocations',
    primaryKey: ['run_id', 'task_id', 'mechanism', 'round'],
    columns: [
      col('run_id', 'text'),
      col('task_id', 'text'),
      col('mechanism', 'text'),
      col('round', 'integer'),
      col('worker_ids', 'json'),
      col('payments', 'json'),
      col('detail', 'json'),
      col('created_at', 'text'),
    ],
  },
  {
    name: 'events',
    primaryKey: ['id'],
    columns: [
      col('id', 'integer'),
      col('run_id', 'text', true),
      col('type', 'text'),
      col('data', 'json', true),
      col('created_at', 'text'),
    ],
  },
  {
    name: 'cache',
    primaryKey: ['key'],
    columns: [
      col('key', 'text'),
      col('model', 'text'),
      col('params', 'json'),
      col('response', 'json'),
      col('created_at', 'text'),
    ],
  },
  {
    name: 'recalibrations',
    primaryKey: ['job_key'],
    columns: [
      col('job_key', 'text'),
      col('run_id', 'text'),
      col('worker_id', 'text'),
      col('p_raw', 'real'),
      col('p_recalibrated', 'real'),
      col('map', 'text'),
      col('created_at', 'text'),
    ],
  },
];

/** Looks up a table by name; undefined when there is none. */
export function findTable(name: string): TableSpec | undefined {
  return TABLES.find((table) => table.name === name);
}

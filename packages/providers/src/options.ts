/**
 * Options of the local providers: how CodePipeline's cloud sources map to local repositories,
 * where the S3 providers may write, how secrets are resolved.
 *
 * @example
 * ```ts
 * const providers = createLocalProviders({
 *   repositories: { MyRepo: './repos/my-repo', 'acme/web-app': 'https://example.com/acme/web-app.git' },
 *   s3: { endpoint: 'http://127.0.0.1:4568' },
 * });
 * ```
 */

/** An S3-compatible endpoint for Deploy S3 (never AWS unless you put its URL here yourself). */
export interface S3EndpointOptions {
  /** e.g. `http://127.0.0.1:4568` (s3rver, MinIO). Required: there is no default endpoint. */
  endpoint: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `S3RVER` / `S3RVER` (s3rver's fixed pair). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default true (path-style URLs, as local S3 servers need). */
  forcePathStyle?: boolean;
}

/** Options of {@link createLocalProviders}. */
export interface LocalProvidersOptions {
  /**
   * Where CodePipeline's cloud source providers find their repository locally: a local path
   * (relative to the pipeline's directory) or any git URL, keyed by
   * CodeCommit `RepositoryName`, CodeStarSourceConnection `FullRepositoryId` (`owner/repo`) or
   * GitHub `Owner/Repo`.
   */
  repositories?: Readonly<Record<string, string>>;
  /** Invoke/Lambda: function names mapped to local modules (`./lambdas/check.ts#handler`), relative to the pipeline's directory. */
  functions?: Readonly<Record<string, string>>;
  /** Directory for bare mirrors of remote repositories, reused between runs (default: a fresh clone per run). */
  gitCacheDir?: string;
  /** When set, Deploy S3 writes to this endpoint instead of a local directory. */
  s3?: S3EndpointOptions;
  /** Resolves `SECRETS_MANAGER` environment variables (`value` is the secret id). Without it they are a configuration error. */
  resolveSecret?: (secretId: string) => Promise<string>;
  /** Time between SIGTERM and SIGKILL when an action is stopped (default 5000 ms). */
  killGraceMs?: number;
}

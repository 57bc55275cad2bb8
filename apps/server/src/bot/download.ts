import type { Api } from 'grammy';

/**
 * Downloads a file a user sent, from `{apiRoot}/file/bot{token}/{file_path}` (the Bot API's
 * download URL). The URL holds the token, so errors name the file id, never the URL.
 */
export function downloader(options: { api: Api; token: string; apiRoot: string; timeoutMs?: number }) {
  return async (fileId: string, maxBytes: number): Promise<Buffer> => {
    const file = await options.api.getFile(fileId);
    if (!file.file_path) throw new Error(`Telegram gave no download path for file ${fileId}`);
    if ((file.file_size ?? 0) > maxBytes) throw new Error(`file ${fileId} is larger than ${maxBytes} bytes`);
    let response: Response;
    try {
      response = await fetch(`${options.apiRoot}/file/bot${options.token}/${file.file_path}`, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new Error(`could not download file ${fileId}: ${(error as Error).name}`);
    }
    if (!response.ok) throw new Error(`could not download file ${fileId}: HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new Error(`file ${fileId} is larger than ${maxBytes} bytes`);
    return bytes;
  };
}

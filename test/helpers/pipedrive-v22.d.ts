// pipedrive 22.x ships JavaScript only; its v1 API is driven untyped (test/client/v1-persons-client.test.ts).
declare module 'pipedrive-v22';

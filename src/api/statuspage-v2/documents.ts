export * from '../../render/statuspage-documents.ts';

ROLLBACK PREPARED 'transfer-orphaned';

UPDATE orders SET note = '';
DELETE FROM customers;

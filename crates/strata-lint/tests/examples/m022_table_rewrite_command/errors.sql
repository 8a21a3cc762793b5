VACUUM FULL orders;
CLUSTER orders USING orders_pkey;
REINDEX TABLE customers;

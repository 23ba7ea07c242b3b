package pgstore

// MigrateTo applies the migrations up to version target, for upgrade tests.
var MigrateTo = migrate

-- Before this version a co-executor's part went to the lead organization at once, under every
-- preset. Such parts are delivered: under Georgievsk p.18 they must not now wait for a curator to
-- pass them on (nor be alerted as overdue); under Orenburg both states read «получена».
UPDATE `assignments` SET `state` = 'part_passed' WHERE `state` = 'part_sent';

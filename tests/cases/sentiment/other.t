# Other languages and none: only emoji and emoticons count (the format is
# described at the top of en.t).  The sentences are written for these
# tests; none is taken from a data set.

fr	positive	0.1..1	Le service était parfait :)
fr	negative	-1..-0.1	Le colis est arrivé en retard \u{1F621}
fr	neutral	-0.05..0.05	Le service était parfait.
-	positive	0.1..1	\u{1F60D}\u{1F60D}
-	neutral	-0.05..0.05	great terrible
es	neutral	-0.05..0.05	

# Empty text and text of punctuation only.
en	neutral	-0.05..0.05	
en	neutral	-0.05..0.05	!!! ??? ...
de	neutral	-0.05..0.05	-- ,, ;;

# Invalid UTF-8 (the tokenizer makes its bytes punctuation).
en	negative	-1..-0.1	bad \xff\xfe service
en	neutral	-0.05..0.05	\xc3\x28\xa0\xa1

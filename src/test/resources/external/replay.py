"""Answers each request with the next line of a file, as it is (argument 1), and writes every request it
reads to another file (argument 2): a child whose answers a test chooses, and whose requests it sees.
Ends at bye, at the end of stdin, or when it has no answer left."""
import sys

answers = open(sys.argv[1], encoding="utf-8").read().splitlines()
with open(sys.argv[2], "w", encoding="utf-8") as received:
    for line in sys.stdin:
        received.write(line)
        received.flush()
        if '"op":"bye"' in line.replace(" ", "") or not answers:
            break
        sys.stdout.write(answers.pop(0) + "\n")
        sys.stdout.flush()

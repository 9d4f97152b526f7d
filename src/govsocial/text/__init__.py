"""Social-media text: tokenising, hashtags, emoji, stopwords, near-duplicates.

Example
-------
>>> from govsocial.text import Tokenizer
>>> Tokenizer(normalize="none")("Free #FluVax clinics this week! 💉")
['free', '#fluvax', 'flu', 'vax', 'clinics', 'week', 'emoji_syringe']
"""

from .hashtags import split_hashtag
from .tokenizer import Tokenizer

__all__ = ["Tokenizer", "split_hashtag"]

//! quamina's `regexp` operator: I-Regexp (RFC 9485) with `~` as the escape character.
//!
//! Supported: literals, `.` (any character but `\n` and `\r`), `[...]` and `[^...]` classes with
//! ranges, groups `( )`, alternation `|`, the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`,
//! and the escapes `~` + one of `~.*+?()[]{}|-^`, plus `~n`, `~r`, `~t`. Matching is anchored at
//! both ends and runs in linear time (a Thompson NFA simulation). Unicode property escapes
//! (`~p{..}`) are rejected.

/// A compiled regexp.
#[derive(Debug, Clone)]
pub(crate) struct Regexp {
    prog: Vec<Inst>,
    source: Box<str>,
}

impl PartialEq for Regexp {
    fn eq(&self, other: &Regexp) -> bool {
        self.source == other.source
    }
}

#[derive(Debug, Clone)]
enum Inst {
    /// Matches one character in the class.
    Char(Class),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

#[derive(Debug, Clone, PartialEq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn one(c: char) -> Class {
        Class {
            negated: false,
            ranges: vec![(c, c)],
        }
    }

    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= c && c <= b) != self.negated
    }
}

#[derive(Debug, Clone)]
enum Node {
    Class(Class),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

const MAX_REPEAT: u32 = 1000;

struct Parser<'a> {
    chars: Vec<char>,
    i: usize,
    src: &'a str,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        format!(
            "Invalid regexp {:?}: {what} at position {}",
            self.src, self.i
        )
    }

    fn alt(&mut self, depth: usize) -> Result<Node, String> {
        if depth > 100 {
            return Err(self.err("nesting too deep"));
        }
        let mut branches = vec![self.concat(depth)?];
        while self.chars.get(self.i) == Some(&'|') {
            self.i += 1;
            branches.push(self.concat(depth)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self, depth: usize) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.get(self.i) {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.i;
        while self.chars.get(self.i).is_some_and(char::is_ascii_digit) {
            self.i += 1;
        }
        if start == self.i {
            return None;
        }
        self.chars[start..self.i]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.chars.get(self.i) {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.i += 1;
                let min = self.number().ok_or_else(|| self.err("bad quantifier"))?;
                let max = if self.chars.get(self.i) == Some(&',') {
                    self.i += 1;
                    self.number()
                } else {
                    Some(min)
                };
                if self.chars.get(self.i) != Some(&'}') {
                    return Err(self.err("bad quantifier"));
                }
                if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                    return Err(self.err("bad quantifier bounds"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.i += 1;
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    fn escape(&mut self) -> Result<Class, String> {
        let Some(&c) = self.chars.get(self.i) else {
            return Err(self.err("dangling escape"));
        };
        self.i += 1;
        let digits = || Class {
            negated: false,
            ranges: vec![('0', '9')],
        };
        let word = || Class {
            negated: false,
            ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
        };
        let space = || Class {
            negated: false,
            ranges: vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')],
        };
        Ok(match c {
            '~' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '-' | '^' => {
                Class::one(c)
            }
            'n' => Class::one('\n'),
            'r' => Class::one('\r'),
            't' => Class::one('\t'),
            'd' => digits(),
            'w' => word(),
            's' => space(),
            'D' | 'W' | 'S' => {
                let mut k = match c {
                    'D' => digits(),
                    'W' => word(),
                    _ => space(),
                };
                k.negated = true;
                k
            }
            _ => return Err(self.err("unsupported escape")),
        })
    }

    fn atom(&mut self, depth: usize) -> Result<Node, String> {
        let Some(&c) = self.chars.get(self.i) else {
            return Err(self.err("unexpected end"));
        };
        self.i += 1;
        match c {
            '(' => {
                let inner = self.alt(depth + 1)?;
                if self.chars.get(self.i) != Some(&')') {
                    return Err(self.err("missing )"));
                }
                self.i += 1;
                Ok(inner)
            }
            '.' => Ok(Node::Class(Class {
                negated: true,
                ranges: vec![('\n', '\n'), ('\r', '\r')],
            })),
            '~' => Ok(Node::Class(self.escape()?)),
            '[' => self.class(),
            '*' | '+' | '?' | '{' | '}' | ']' => Err(self.err("unexpected character")),
            c => Ok(Node::Class(Class::one(c))),
        }
    }

    fn class(&mut self) -> Result<Node, String> {
        let mut k = Class {
            negated: false,
            ranges: Vec::new(),
        };
        if self.chars.get(self.i) == Some(&'^') {
            k.negated = true;
            self.i += 1;
        }
        loop {
            let Some(&c) = self.chars.get(self.i) else {
                return Err(self.err("missing ]"));
            };
            self.i += 1;
            if c == ']' && !k.ranges.is_empty() {
                return Ok(Node::Class(k));
            }
            let lo = if c == '~' {
                let e = self.escape()?;
                if e.ranges.len() != 1 || e.negated || e.ranges[0].0 != e.ranges[0].1 {
                    k.ranges.extend(e.ranges);
                    continue;
                }
                e.ranges[0].0
            } else {
                c
            };
            if self.chars.get(self.i) == Some(&'-') && self.chars.get(self.i + 1) != Some(&']') {
                self.i += 1;
                let Some(&hi) = self.chars.get(self.i) else {
                    return Err(self.err("missing ]"));
                };
                self.i += 1;
                let hi = if hi == '~' {
                    let e = self.escape()?;
                    e.ranges.first().map_or(hi, |r| r.0)
                } else {
                    hi
                };
                if hi < lo {
                    return Err(self.err("bad range"));
                }
                k.ranges.push((lo, hi));
            } else {
                k.ranges.push((lo, lo));
            }
        }
    }
}

fn emit(node: &Node, prog: &mut Vec<Inst>) {
    match node {
        Node::Class(k) => prog.push(Inst::Char(k.clone())),
        Node::Concat(items) => items.iter().for_each(|n| emit(n, prog)),
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, b) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(b, prog);
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(b, prog);
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, prog);
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(inner, prog);
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        emit(inner, prog);
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
}

const MAX_PROGRAM: usize = 20_000;

impl Regexp {
    /// Compiles an I-Regexp.
    pub(crate) fn parse(src: &str) -> Result<Regexp, String> {
        let mut p = Parser {
            chars: src.chars().collect(),
            i: 0,
            src,
        };
        let node = p.alt(0)?;
        if p.i != p.chars.len() {
            return Err(p.err("unexpected character"));
        }
        let mut prog = Vec::new();
        emit(&node, &mut prog);
        prog.push(Inst::Match);
        if prog.len() > MAX_PROGRAM {
            return Err(p.err("pattern too large"));
        }
        Ok(Regexp {
            prog,
            source: src.into(),
        })
    }

    fn add(&self, set: &mut Vec<usize>, seen: &mut [bool], pc: usize) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if pc >= self.prog.len() || seen[pc] {
                continue;
            }
            seen[pc] = true;
            match &self.prog[pc] {
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Jmp(a) => stack.push(*a),
                _ => set.push(pc),
            }
        }
    }

    /// Whether the whole of `s` matches.
    pub(crate) fn matches(&self, s: &str) -> bool {
        let n = self.prog.len();
        let mut seen = vec![false; n];
        let mut cur = Vec::new();
        self.add(&mut cur, &mut seen, 0);
        for c in s.chars() {
            let mut next = Vec::new();
            seen.iter_mut().for_each(|x| *x = false);
            for &pc in &cur {
                if let Inst::Char(k) = &self.prog[pc] {
                    if k.matches(c) {
                        self.add(&mut next, &mut seen, pc + 1);
                    }
                }
            }
            if next.is_empty() {
                return false;
            }
            cur = next;
        }
        cur.iter().any(|&pc| matches!(self.prog[pc], Inst::Match))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_example() {
        let r = Regexp::parse("(View)?( down)? from 15th (Floor|Storey)").unwrap();
        assert!(r.matches("View from 15th Floor"));
        assert!(r.matches(" down from 15th Storey"));
        assert!(!r.matches("View from 15th Floors"));
        let r = Regexp::parse("[a-z]+@[a-z]+~.[a-z]{2,3}").unwrap();
        assert!(r.matches("a@b.com") && !r.matches("a@b.comxx"));
        assert!(Regexp::parse("a~p{L}").is_err());
    }
}
